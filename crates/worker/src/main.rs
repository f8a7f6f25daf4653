//! lanlab's engine in a dedicated Web Worker.
//!
//! The page posts [`Envelope`]s (a numbered [`Command`] and the jobs its
//! prompts watch); this worker hands each to its [`EngineHost`] and posts
//! back a [`Post::Response`] with the reply and, when the run moved, the
//! state the page shows. Both directions are owned values carried as JSON
//! text ([`lanlab_sim::host::wire`]): no shared memory. The engine's code (the whole
//! simulator with its protocol engines) is in this module only, so the
//! page loads without it and stays responsive while the engine works.
//!
//! [`Command`]: lanlab_sim::host::message::Command

#[cfg(target_arch = "wasm32")]
fn main() {
    web::start();
}

/// Built for the browser only; natively there is nothing to run.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;

    use lanlab_sim::host::EngineHost;
    use lanlab_sim::host::message::{Envelope, Post, Reply, Response};
    use lanlab_sim::host::wire;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        static HOST: RefCell<EngineHost> = RefCell::new(EngineHost::default());
    }

    fn post(scope: &DedicatedWorkerGlobalScope, post: &Post) {
        match wire::write(post) {
            Ok(text) => {
                let _ = scope.post_message(&JsValue::from_str(&text));
            }
            Err(e) => web_sys::console::error_1(&format!("lanlab worker: {e}").into()),
        }
    }

    /// Listens for envelopes, then tells the page it is ready.
    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let me = scope.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let post_to = |p| post(&me, &p);
            let text = ev.data().as_string().unwrap_or_default();
            match wire::decode::<Envelope>(&text) {
                Ok(envelope) => {
                    let response = HOST.with(|h| h.borrow_mut().serve(envelope));
                    post_to(Post::Response(Box::new(response)));
                }
                Err(e) => {
                    // A message this worker cannot read: answer "no engine"
                    // under its number, if it has one, so nothing waits.
                    web_sys::console::error_1(&format!("lanlab worker: {e}").into());
                    if let Some(id) = wire::envelope_id(&text) {
                        post_to(Post::Response(Box::new(Response {
                            id,
                            reply: Reply::NoEngine,
                            state: None,
                            configured: Vec::new(),
                            answers: Vec::new(),
                        })));
                    }
                }
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&scope, &Post::Ready);
    }
}
