// Decodes large inputs off the main thread so the page never freezes; posts progress as it goes.
// The page cancels by terminating this worker.
import { doctor } from "./engine.js";
import { splitMessages } from "./mbox.js";

self.onmessage = async ({ data: { files } }) => {
  try {
    const engine = await doctor();
    const messages = files.flatMap((file) => splitMessages(engine, file.name, new Uint8Array(file.buffer)));
    const reports = [];
    let lastPost = 0;
    for (const [index, message] of messages.entries()) {
      const report = engine.diagnose(message.bytes);
      report.source = message.source;
      reports.push(report);
      const now = Date.now();
      if (now - lastPost > 100 || index + 1 === messages.length) {
        lastPost = now;
        self.postMessage({ type: "progress", done: index + 1, total: messages.length });
      }
    }
    self.postMessage({ type: "done", reports });
  } catch (error) {
    self.postMessage({ type: "error", name: error?.name ?? "Error", message: String(error?.message ?? error) });
  }
};
