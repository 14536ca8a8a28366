// Decodes large inputs off the main thread so the page never freezes; posts progress as it goes.
// The page cancels by terminating this worker.
import { doctor } from "./engine.js";
import { readMessages } from "./read.js";

self.onmessage = async ({ data: { files } }) => {
  try {
    const engine = await doctor();
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
