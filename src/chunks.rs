//! Parts of the page that arrive when first used.
//!
//! The first load is the canvas, the palette, the bars and the document;
//! the side panel's forms, simulation mode's panel and teacher mode are
//! larger than all of that together and are not needed to start building a
//! lab. Each is a *part*: a function, marked with [`split_point!`], that
//! hands back the part's components as plain function pointers. In the
//! release build (`cargo xtask dist`, feature `split`) each part's code is
//! its own wasm module, fetched the first time the part is asked for
//! (`xtask/src/split.rs` does the cutting); in every other build the parts
//! are ordinary code and "loading" one is immediate.
//!
//! A view asks for a part through [`Part::view`]: the first call starts the
//! download and shows a "loading" line; when the module has arrived, the
//! view shows the part's own view (and keeps it: the module stays). If the
//! download fails (offline before the part was ever cached), the view says
//! so, in the student's language, with a button that tries again; nothing
//! of the lab is lost.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::AppState;

/// A part's module could not be fetched or instantiated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// `in chunk; fn name() -> T { body }`: a split point in chunk `chunk`, an `async
/// fn name() -> Result<T, ChunkError>` that, in the split build, first
/// fetches the chunk's module; in other builds it is the body.
#[macro_export]
macro_rules! split_point {
    (in $chunk:ident; $(#[$meta:meta])* $vis:vis fn $name:ident() -> $ret:ty $body:block) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name() -> ::core::result::Result<$ret, $crate::chunks::ChunkError> {
            ::core::result::Result::Ok($body)
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name() -> ::core::result::Result<$ret, $crate::chunks::ChunkError> {
            ::core::result::Result::Ok($body)
        }
    };
}

/// Where one part is: not asked for yet, on its way, here, or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arrival<T> {
    NotAsked,
    Loading,
    Here(T),
    Failed,
}

/// One part of the page, shared by every view that shows it (keep it in a
/// context or a `static`-like owner: it remembers that it has arrived).
pub struct Part<T: Copy + Send + Sync + 'static> {
    arrival: RwSignal<Arrival<T>>,
    load: Loader<T>,
}

impl<T: Copy + Send + Sync + 'static> Clone for Part<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Copy + Send + Sync + 'static> Copy for Part<T> {}

impl<T: Copy + Send + Sync + 'static> Part<T> {
    /// A part that `load` fetches (a [`split_point!`] function, boxed).
    pub fn new(load: Loader<T>) -> Self {
        Part {
            arrival: RwSignal::new(Arrival::NotAsked),
            load,
        }
    }

    /// Starts fetching the part unless it is here or on its way.
    pub fn fetch(self) {
        let asked = self.arrival.try_update_untracked(|a| {
            let start = matches!(a, Arrival::NotAsked | Arrival::Failed);
            if start {
                *a = Arrival::Loading;
            }
            start
        });
        if asked != Some(true) {
            return;
        }
        let arrived = |r: Result<T, ChunkError>| match r {
            Ok(t) => Arrival::Here(t),
            Err(ChunkError) => Arrival::Failed,
        };
        // A part that is already here (every part outside the split build)
        // shows at once, not a frame later.
        let mut load = (self.load)();
        let mut now = std::task::Context::from_waker(std::task::Waker::noop());
        if let std::task::Poll::Ready(r) = load.as_mut().poll(&mut now) {
            self.arrival.set(arrived(r));
            return;
        }
        self.arrival.notify();
        leptos::task::spawn_local(async move {
            let r = load.await;
            self.arrival.try_set(arrived(r));
        });
    }

    /// The part, if it is here (tracked: a view that reads it shows the
    /// part when it arrives).
    pub fn get(self) -> Option<T> {
        match self.arrival.get() {
            Arrival::Here(t) => Some(t),
            _ => None,
        }
    }

    /// `show(part)` once the part is here; until then a line that says it
    /// is loading, or that it could not load, with a button to try again.
    /// The first call starts the download.
    pub fn view(self, show: impl Fn(T) -> AnyView + Send + Sync + 'static) -> AnyView {
        self.fetch();
        let st = AppState::expect();
        let t = move |k| st.lang.get().t(k);
        (move || match self.arrival.get() {
            Arrival::Here(part) => show(part),
            Arrival::Failed => view! {
                <div class="part-failed" role="alert" data-testid="part-failed">
                    <p>{move || t(Key::PartFailed)}</p>
                    <button data-testid="part-retry" on:click=move |_| self.fetch()>
                        {move || t(Key::TryAgain)}
                    </button>
                </div>
            }
            .into_any(),
            Arrival::NotAsked | Arrival::Loading => view! {
                <p class="part-loading" role="status" aria-busy="true" data-testid="part-loading">
                    {move || t(Key::PartLoading)}
                </p>
            }
            .into_any(),
        })
        .into_any()
    }
}

/// A part's loader as [`Part::new`] takes it.
type Loader<T> =
    fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, ChunkError>>>>;

/// The page's parts, one of each for the whole app (a context).
#[derive(Clone, Copy)]
pub struct Parts {
    /// The side panel's tabs, forms and desktop programs.
    pub panels: Part<crate::panels::device_panel::PanelParts>,
    /// Simulation mode's timeline, event list and inspector.
    pub simulation: Part<crate::sim_view::SimParts>,
    /// Teacher mode's activity editor and SCORM export.
    pub teacher: Part<crate::activity::TeacherParts>,
}

impl Parts {
    /// Makes the parts and provides them as a context.
    pub fn provide() -> Self {
        let load_panels: Loader<_> = || Box::pin(crate::panels::device_panel::panel_parts());
        let load_simulation: Loader<_> = || Box::pin(crate::sim_view::sim_parts());
        let load_teacher: Loader<_> = || Box::pin(crate::activity::teacher_parts());
        let parts = Parts {
            panels: Part::new(load_panels),
            simulation: Part::new(load_simulation),
            teacher: Part::new(load_teacher),
        };
        provide_context(parts);
        parts
    }

    /// Fetches the parts nearly every student opens (a device's panel,
    /// simulation mode), once the engine has arrived: they then open at
    /// once, and after one visit they are cached for use offline.
    pub fn fetch_soon(self) {
        self.panels.fetch();
        self.simulation.fetch();
    }
}
