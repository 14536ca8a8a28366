// What the user gave, read into results: the one path both the page and its worker take, so both
// show the same diagnosis and the same evidence.

export const MAX_CARDS = 50; // cards on one page of results; further ones are a page away

/**
 * A message's source: a file `name`, or a catalogue `key` (pasted text) so its label follows a
 * language switch; `part` numbers the messages of an mbox.
 */
export function splitMessages(core, input) {
  const { name, key, bytes } = input;
  if (!core.isMbox(bytes.subarray(0, 1024))) return [{ source: { name, key }, bytes }];
  const messages = core.splitMbox(bytes);
  // A single message saved with an mbox `From ` line is named as the file it is, without "#1";
  // one the split finds no message in (old Mac line ends) is read whole.
  if (messages.length <= 1) return [{ source: { name, key }, bytes: messages[0] ?? bytes }];
  return messages.map((message, n) => ({ source: { name, key, part: n + 1 }, bytes: message }));
}

/**
 * inputs: [{ name | key, bytes: Uint8Array }]. Returns [{ report, source, bytes }]; the page
 * decodes a message's notice from its bytes only when the notice is opened.
 */
export function readMessages(core, inputs, progress = () => {}) {
  const messages = inputs.flatMap((input) => splitMessages(core, input));
  return messages.map((message, index) => {
    const report = core.diagnose(message.bytes);
    progress(index + 1, messages.length);
    return { report, source: message.source, bytes: message.bytes };
  });
}
