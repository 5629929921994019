// The page's Web Worker (see frontend/cmd/worker): it loads the Go toolchain's
// wasm_exec.js and runs worker.wasm, whose URLs the page passes in this
// script's fragment (which leaves the script's own URL, and its cached copy,
// alone), and says so if the worker cannot start or stops.
const urls = new URLSearchParams(self.location.hash.slice(1));
importScripts(urls.get("exec") || "wasm_exec.js");
const go = new Go();
WebAssembly.instantiateStreaming(fetch(urls.get("wasm") || "worker.wasm"), go.importObject)
  .then((result) => go.run(result.instance))
  .then(
    () => self.postMessage({ type: "error", error: "The computer stopped." }),
    (err) => self.postMessage({ type: "error", error: "The computer could not start: " + err }),
  );
