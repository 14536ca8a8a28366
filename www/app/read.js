// What the user gave, read into results: the one path both the page and its worker take, so both
// show the same diagnosis and the same evidence.

export const MAX_CARDS = 50; // cards shown; further messages are counted in the summary only

/**
 * A message's source: a file `name`, or a catalogue `key` (pasted text) so its label follows a
 * language switch; `part` numbers the messages of an mbox.
 */
export function splitMessages(core, input) {
  const { name, key, bytes } = input;
  if (!core.isMbox(bytes.subarray(0, 1024))) return [{ source: { name, key }, bytes }];
  return core.splitMbox(bytes).map((message, n) => ({ source: { name, key, part: n + 1 }, bytes: message }));
}

/**
 * inputs: [{ name | key, bytes: Uint8Array }]. Returns [{ report, source, notice }]; the decoded
 * notice only for the messages that get a card, so a large mbox costs no more than before.
 */
export function readMessages(core, inputs, progress = () => {}) {
  const messages = inputs.flatMap((input) => splitMessages(core, input));
  return messages.map((message, index) => {
    const report = core.diagnose(message.bytes);
    const notice = index < MAX_CARDS ? core.notice(message.bytes).text : undefined;
    progress(index + 1, messages.length);
    return { report, source: message.source, notice };
  });
}
