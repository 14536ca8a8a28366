// What the user gave, read into results: the one path both the page and its worker take, so both
// show the same diagnosis and the same evidence.

export const MAX_CARDS = 50; // cards on one page of results; further ones are a page away

/**
 * A message's source: a file `name`, or a catalogue `key` (pasted text) so its label follows a
 * language switch; `part` numbers the messages of an mbox.
 */
export function splitMessages(core, input) {
  const { name, key, bytes } = input;
  // The CLI's rule, in the core: an .eml is one message; an mbox of one message is named as its file.
  const messages = core.messages(bytes, name ?? "");
  return messages.map((message, n) => ({ source: { name, key, part: messages.length > 1 ? n + 1 : undefined }, bytes: message }));
}

/**
 * inputs: [{ name | key, bytes: Uint8Array }]. Returns [{ report, source, bytes }]; the core's
 * explain, toText and notice take a message's bytes, so the page keeps them.
 */
export function readMessages(core, inputs, progress = () => {}) {
  const messages = inputs.flatMap((input) => splitMessages(core, input));
  return messages.map((message, index) => {
    const report = core.diagnose(message.bytes);
    progress(index + 1, messages.length);
    return { report, source: message.source, bytes: message.bytes };
  });
}
