// Loads the WebAssembly core once (same origin, relative URL) and hands out the one Doctor.
import init, { Doctor } from "../bounce-doctor.js";

let ready = null;

export function doctor() {
  ready ??= init({ module_or_path: new URL("../bounce-doctor_bg.wasm", import.meta.url) }).then(() => new Doctor());
  return ready;
}
