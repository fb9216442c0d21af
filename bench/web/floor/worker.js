// Mirrors site/worker.js start-up: importScripts the toolchain's
// wasm_exec.js, instantiateStreaming the module, run it, wait for its call.
importScripts("./wasm_exec.js");
const started = new Promise((resolve) => {
  self.floorStarted = resolve;
});
(async () => {
  // @ts-ignore: Go is defined by wasm_exec.js.
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch(new URL("./floor.wasm", self.location.href)), go.importObject);
  go.run(instance);
  await started;
  self.postMessage({ type: "ready" });
})().catch((err) => self.postMessage({ type: "failed", message: String(err && err.message ? err.message : err) }));
