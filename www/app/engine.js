// Loads the WebAssembly core once (same origin, relative URL) and hands out the one Doctor.
// The page fetches the module itself, compiles it as it streams in, and leaves a copy for the
// service worker's first install (sw.js), so a host that sends `no-cache` without validators
// does not make a first visit download it twice. A worker is handed the page's compiled module
// (structured-cloneable), so it neither fetches nor compiles the wasm again.
import init, { Doctor } from "../bounce-doctor.js";

export const WASM_URL = new URL("../bounce-doctor_bg.wasm", import.meta.url);
export const HANDOFF_CACHE = "bounce-doctor-handoff";

let compiled = null;
let ready = null;
let handedOff = Promise.resolve();

/** The compiled WebAssembly.Module, fetched once; `given` is the page's (in a worker). */
export function wasmModule(given) {
  compiled ??= given ? Promise.resolve(given) : (async () => {
    const response = await fetch(WASM_URL);
    if (!response.ok) throw new Error(`failed to fetch the wasm: HTTP ${response.status}`);
    // Only the page leaves the copy (a worker is given the module).
    if (globalThis.document && globalThis.caches) {
      const copy = response.clone();
      handedOff = caches.open(HANDOFF_CACHE).then((cache) => cache.put(WASM_URL, copy)).catch(() => {});
    }
    // Compiled as it streams in; a host that labels the wasm otherwise gets it compiled whole.
    if (response.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  return compiled;
}

/** The one Doctor; a worker passes the module the page compiled. */
export function doctor(given) {
  ready ??= wasmModule(given).then((module) => init({ module_or_path: module })).then(() => new Doctor());
  return ready;
}

/** Settles once the copy for the service worker is stored (or could not be). */
export function wasmHandedOff() {
  return handedOff;
}

// In the page, this module is also loaded `async` from the head (index.html), so the engine is
// fetched, compiled and started while the document is still being parsed and styled, not after
// it; main.js then takes the same Doctor. (Starting the tables' idle-time compile this early as
// well made the page ready later, measured: main.js starts it once the page is ready.) A failure
// is reported by main.js, which awaits the same promise.
if (globalThis.document) doctor().catch(() => {});
