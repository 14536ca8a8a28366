// Decodes large inputs off the main thread so the page never freezes; posts progress as it goes.
// The page cancels by terminating this worker.
import { doctor } from "./engine.js";
import { readMessages } from "./read.js";

// `module` is the page's compiled wasm: the worker neither fetches nor compiles it again.
self.onmessage = async ({ data: { files, module } }) => {
  try {
    const engine = await doctor(module);
    const inputs = files.map(({ name, key, buffer }) => ({ name, key, bytes: new Uint8Array(buffer) }));
    let lastPost = 0;
    const results = readMessages(engine, inputs, (done, total) => {
      const now = Date.now();
      if (now - lastPost > 100 || done === total) {
        lastPost = now;
        self.postMessage({ type: "progress", done, total });
      }
    });
    self.postMessage({ type: "done", results });
  } catch (error) {
    self.postMessage({ type: "error", name: error?.name ?? "Error", message: String(error?.message ?? error) });
  }
};
