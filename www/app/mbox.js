// What the user gave, as messages: an mbox holds many (the core recognises and splits it), any
// other file is one message.
export function splitMessages(core, name, bytes) {
  if (!core.isMbox(bytes.subarray(0, 1024))) return [{ source: name, bytes }];
  return core.splitMbox(bytes).map((message, n) => ({ source: `${name}#${n + 1}`, bytes: message }));
}
