// lanlab's engine worker: loads the engine's wasm-bindgen glue and its
// wasm (built by Trunk's `lanlab-worker` target), whose start posts
// "ready". Every message is JSON text (lanlab_sim::host::wire). If either cannot load (offline before the first visit
// finished, a proxy that cut the download, a browser without WebAssembly),
// the page hears why ({failed: {error}}) instead of waiting for ever.
const failed = (e) =>
  self.postMessage(JSON.stringify({ failed: { error: String((e && e.message) || e) } }));
try {
  importScripts("./lanlab-worker.js");
  wasm_bindgen("./lanlab-worker_bg.wasm").catch(failed);
} catch (e) {
  failed(e);
}
