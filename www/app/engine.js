// Loads the WebAssembly core once (same origin, relative URL) and hands out the one Doctor.
// The page fetches the module itself, compiles it as it streams in, and leaves a copy for the
// service worker's first install (sw.js), so a host that sends `no-cache` without validators
// does not make a first visit download it twice.
import init, { Doctor } from "../bounce-doctor.js";

export const WASM_URL = new URL("../bounce-doctor_bg.wasm", import.meta.url);
export const HANDOFF_CACHE = "bounce-doctor-handoff";

let ready = null;
let handedOff = Promise.resolve();

export function doctor() {
  ready ??= (async () => {
    const response = await fetch(WASM_URL);
    // Only the page leaves the copy (a worker's own fetch is served by the service worker).
    if (response.ok && globalThis.document && globalThis.caches) {
      const copy = response.clone();
      handedOff = caches.open(HANDOFF_CACHE).then((cache) => cache.put(WASM_URL, copy)).catch(() => {});
    }
    await init({ module_or_path: response });
    return new Doctor();
  })();
  return ready;
}

/** Settles once the copy for the service worker is stored (or could not be). */
export function wasmHandedOff() {
  return handedOff;
}
