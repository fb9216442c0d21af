// Mirrors site/worker.js start-up: the toolchain's wasm_exec.js, then
// compileStreaming, instantiate, run, wait for the program's call. It
// reports the same start-up phases (milliseconds since the Unix epoch).
importScripts("./wasm_exec.js");
const epoch = () => performance.timeOrigin + performance.now();
const phases = { worker: epoch() };
const started = new Promise((resolve) => {
  self.floorStarted = resolve;
});
(async () => {
  // @ts-ignore: Go is defined by wasm_exec.js.
  const go = new Go();
  const url = new URL("./floor.wasm", self.location.href);
  phases.fetchStart = epoch();
  const module = await WebAssembly.compileStreaming(fetch(url));
  const download = performance.getEntriesByName(url.href)[0];
  if (download) phases.fetchEnd = performance.timeOrigin + download.responseEnd;
  phases.compiled = epoch();
  go.run(await WebAssembly.instantiate(module, go.importObject));
  await started;
  phases.ready = epoch();
  self.postMessage({ type: "ready", phases });
})().catch((err) => self.postMessage({ type: "failed", message: String(err && err.message ? err.message : err) }));
