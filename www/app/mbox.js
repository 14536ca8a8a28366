// Splits what the user gave into messages: an mbox holds many, separated by "From " lines at the
// start of a line; anything else is one message. Works on bytes (mail need not be UTF-8).

const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "

function startsFromLine(bytes, at) {
  for (let i = 0; i < FROM.length; i++) if (bytes[at + i] !== FROM[i]) return false;
  return true;
}

export function splitMessages(name, bytes) {
  if (!startsFromLine(bytes, 0)) return [{ source: name, bytes }];
  const starts = [0];
  for (let i = bytes.indexOf(0x0a); i !== -1 && i + 1 < bytes.length; i = bytes.indexOf(0x0a, i + 1)) {
    if (startsFromLine(bytes, i + 1)) starts.push(i + 1);
  }
  if (starts.length === 1) return [{ source: name, bytes }];
  return starts.map((start, n) => ({ source: `${name}#${n + 1}`, bytes: bytes.subarray(start, starts[n + 1] ?? bytes.length) }));
}
