//! The page's end of the engine: numbered commands posted to the engine's
//! host in a dedicated Web Worker (`crates/worker`), and its responses
//! matched back to the callbacks waiting for them.
//!
//! The engine's code is in the worker's own wasm, fetched after the page
//! is up; until the worker says it is ready, commands wait here in order.
//! Messages are owned values carried as JSON text
//! ([`lanlab_sim::host::wire`]; no shared memory). Browser tests without
//! the worker's files build the app with the `local-engine` feature: the
//! same host then answers in the page, every message still through the
//! same text and back.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use lanlab_sim::JobId;
use lanlab_sim::host::message::{self, Command, Envelope, Rider};
use lanlab_sim::host::query::Unread;
use lanlab_sim::host::wire;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::sim_driver::Response;

/// What the worker posts, its answers and refusals left unread
/// ([`crate::sim_driver::Reply`]).
type Post = message::Post<Unread, Unread>;

/// The engine's files next to the page: its loader
/// (`public/lanlab-worker_loader.js`, which the worker runs and which says
/// so when the engine cannot load), then the wasm-bindgen glue and the
/// wasm Trunk builds for the `lanlab-worker` target. Index.html does not name them, so the
/// SCORM package adds them (and `sw.js` lists them too).
pub const ENGINE_FILES: [&str; 3] = [
    "lanlab-worker_loader.js",
    "lanlab-worker.js",
    "lanlab-worker_bg.wasm",
];

/// The worker's script.
const WORKER_SCRIPT: &str = ENGINE_FILES[0];

/// What waits for a response.
type Then = Box<dyn FnOnce(Response)>;

/// Told once if the engine cannot load or stops: the browser's words.
type OnFailed = Box<dyn FnOnce(String)>;

/// Where the engine is, and what is on its way there.
#[derive(Clone)]
pub struct EngineLink {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    /// The worker, once spawned (none: the engine cannot run here).
    worker: Option<web_sys::Worker>,
    /// Whether the worker said it is ready.
    ready: bool,
    /// Envelopes posted before it was.
    queue: Vec<JsValue>,
    /// The next envelope's number.
    next: u64,
    /// Callbacks by envelope number.
    pending: HashMap<u64, Then>,
    /// Called once when the engine is ready.
    on_ready: Option<Box<dyn FnOnce()>>,
    /// Called once if it never will be, or stopped.
    on_failed: Option<OnFailed>,
    /// The host itself, in the page (browser tests).
    #[cfg(feature = "local-engine")]
    local: lanlab_sim::host::EngineHost,
    /// Keeps the worker's message handler alive.
    _on_message: Option<Closure<dyn Fn(web_sys::MessageEvent)>>,
    /// Keeps its error handler alive.
    _on_error: Option<Closure<dyn Fn(web_sys::Event)>>,
}

impl EngineLink {
    /// Spawns the engine's worker (or, with `local-engine`, a host in the
    /// page); `on_ready` runs once the engine can take commands, `on_failed`
    /// if it cannot load or stops (a trap in its wasm), with the browser's
    /// words. The page keeps working without it: building, files, links.
    pub fn start(
        on_ready: impl FnOnce() + 'static,
        on_failed: impl FnOnce(String) + 'static,
    ) -> Self {
        let link = EngineLink {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                ready: false,
                queue: Vec::new(),
                next: 1,
                pending: HashMap::new(),
                on_ready: Some(Box::new(on_ready)),
                on_failed: Some(Box::new(on_failed)),
                #[cfg(feature = "local-engine")]
                local: Default::default(),
                _on_message: None,
                _on_error: None,
            })),
        };
        if cfg!(feature = "local-engine") {
            link.inner.borrow_mut().ready = true;
            let ready = link.inner.borrow_mut().on_ready.take();
            if let Some(f) = ready {
                f();
            }
            return link;
        }
        link.spawn();
        link
    }

    fn spawn(&self) {
        let options = web_sys::WorkerOptions::new();
        options.set_name("lanlab-engine");
        let worker = match web_sys::Worker::new_with_options(WORKER_SCRIPT, &options) {
            Ok(w) => w,
            Err(e) => {
                web_sys::console::error_2(&"lanlab: the engine's worker did not start".into(), &e);
                let words = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "Worker".into());
                self.failed(words);
                return;
            }
        };
        let me = Rc::downgrade(&self.inner);
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(inner) = me.upgrade() else { return };
                let text = ev.data().as_string().unwrap_or_default();
                match wire::decode::<Post>(&text) {
                    Ok(Post::Ready) => EngineLink { inner }.ready(),
                    Ok(Post::Response(r)) => EngineLink { inner }.respond(*r),
                    Ok(Post::Failed { error }) => EngineLink { inner }.failed(error),
                    Err(e) => web_sys::console::error_1(&format!("lanlab: {e}").into()),
                }
            });
        // The loader script missing, or an error the engine did not catch
        // (a trap in its wasm): the worker is gone for good.
        let me = Rc::downgrade(&self.inner);
        // (A script that did not load fires a plain `Event`, not an
        // `ErrorEvent`: no message to read then.)
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            let Some(inner) = me.upgrade() else { return };
            let words = ev
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(web_sys::ErrorEvent::message)
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| format!("{WORKER_SCRIPT}: error"));
            EngineLink { inner }.failed(words);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut inner = self.inner.borrow_mut();
        inner.worker = Some(worker);
        inner._on_message = Some(on_message);
        inner._on_error = Some(on_error);
    }

    /// The engine cannot load, or stopped: the worker goes, nothing waits
    /// for it any more (commands from now on are dropped, as with no
    /// engine), and the page is told once.
    fn failed(&self, words: String) {
        web_sys::console::error_1(&format!("lanlab: the engine stopped: {words}").into());
        let (on_failed, waiting) = {
            let mut inner = self.inner.borrow_mut();
            if let Some(w) = inner.worker.take() {
                w.terminate();
            }
            inner.ready = false;
            inner.queue.clear();
            inner.on_ready = None;
            (inner.on_failed.take(), std::mem::take(&mut inner.pending))
        };
        // (Dropped outside the borrow: a callback's captures may hold the link.)
        drop(waiting);
        self.show_pending();
        if let Some(f) = on_failed {
            f(words);
        }
    }

    /// Whether the engine can take commands now.
    pub fn is_ready(&self) -> bool {
        self.inner.borrow().ready
    }

    /// The worker is up: post what waited, then say so.
    fn ready(&self) {
        let (queue, on_ready) = {
            let mut inner = self.inner.borrow_mut();
            inner.ready = true;
            (std::mem::take(&mut inner.queue), inner.on_ready.take())
        };
        if let Some(worker) = self.inner.borrow().worker.clone() {
            for v in queue {
                let _ = worker.post_message(&v);
            }
        }
        if let Some(f) = on_ready {
            f();
        }
    }

    /// A response came: its callback runs (outside any borrow of the link,
    /// so it may send again).
    fn respond(&self, r: Response) {
        let then = self.inner.borrow_mut().pending.remove(&r.id);
        if let Some(then) = then {
            then(r);
        }
        self.show_pending();
    }

    /// How many commands await their answer, on the page's root element
    /// (`data-engine-pending`): 0 when the page shows the engine's latest
    /// answers (browser tests wait for it before they read the page).
    fn show_pending(&self) {
        let n = self.inner.borrow().pending.len();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-engine-pending", &n.to_string());
        }
    }

    /// How many commands were sent so far.
    pub fn sent(&self) -> u64 {
        self.inner.borrow().next - 1
    }

    /// Sends `cmd` to the engine, with the views' questions that ride
    /// along; `then` gets the response.
    pub fn send(
        &self,
        cmd: Command,
        watched: Vec<JobId>,
        riders: Vec<Rider>,
        then: impl FnOnce(Response) + 'static,
    ) {
        let id = {
            let mut inner = self.inner.borrow_mut();
            let id = inner.next;
            inner.next += 1;
            id
        };
        let envelope = Envelope {
            id,
            cmd,
            watched,
            riders,
        };
        let text = match wire::encode(&envelope) {
            Ok(text) => text,
            Err(e) => {
                web_sys::console::error_1(&format!("lanlab: {e}").into());
                return;
            }
        };
        #[cfg(feature = "local-engine")]
        {
            // Both ways through the wire's text, as to and from a worker.
            let envelope = wire::decode::<Envelope>(&text).expect("an envelope reads back");
            let r = self.inner.borrow_mut().local.serve(envelope);
            let r = wire::encode(&message::Post::Response(Box::new(r)))
                .and_then(|t| wire::decode::<Post>(&t))
                .expect("a response reads back");
            let Post::Response(r) = r else {
                unreachable!("a response reads back as one")
            };
            then(*r);
        }
        #[cfg(not(feature = "local-engine"))]
        {
            let value = JsValue::from_str(&text);
            let mut inner = self.inner.borrow_mut();
            if inner.worker.is_none() {
                // No engine here: nothing will answer.
                return;
            }
            inner.pending.insert(id, Box::new(then));
            if inner.ready {
                if let Some(w) = &inner.worker {
                    let _ = w.post_message(&value);
                }
            } else {
                inner.queue.push(value);
            }
            drop(inner);
            self.show_pending();
        }
    }
}
