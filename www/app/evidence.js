// The evidence: the server's words with the deciding span marked, and the whole decoded notice
// with the lines that hold each delivery's diagnostic marked. Mail text is only ever text here.
import { el } from "./dom.js";

const NOTICE_LIMIT = 300_000; // characters shown; a notice beyond this is cut (a bounce is far smaller)
const PREFIX = 60; // when the whole diagnostic is not found verbatim, its start is looked for

/** The text before, in and after a span of its UTF-8 bytes (not UTF-16 units), or null. */
export function splitAtByteSpan(text, start, end) {
  const bytes = new TextEncoder().encode(text);
  if (!(start >= 0 && start <= end && end <= bytes.length)) return null;
  const decoder = new TextDecoder();
  return [bytes.subarray(0, start), bytes.subarray(start, end), bytes.subarray(end)].map((part) => decoder.decode(part));
}

/** The part of a delivery's diagnostic that decided its reason, or null. */
function decidingSpan({ diagnostic, evidence }) {
  const parts = evidence && splitAtByteSpan(diagnostic ?? "", evidence.start, evidence.end);
  return parts ? [parts[0].length, parts[0].length + parts[1].length] : null;
}

/** The server's words with the deciding span marked. */
export function diagnosticBlock(delivery) {
  const text = delivery.diagnostic ?? "";
  const span = decidingSpan(delivery);
  const pre = el("pre", { class: "evidence" });
  if (span) pre.append(text.slice(0, span[0]), el("mark", { title: delivery.evidence.rule }, text.slice(span[0], span[1])), text.slice(span[1]));
  else pre.append(text);
  return pre;
}

const squeeze = (text) => text.split(/\s+/).filter(Boolean).join(" ").toLowerCase();

/**
 * The indices of the lines that hold a delivery's diagnostic. Line breaks, indentation and case
 * differ between the notice and the diagnostic the core assembled, so both are compared as
 * lowercase words joined by one space; `lineAt` maps that text back to the notice's lines.
 */
export function decidingLines(lines, deliveries) {
  let flat = "";
  const lineAt = [];
  lines.forEach((line, n) => {
    for (const word of line.split(/\s+/)) {
      if (!word) continue;
      const piece = (flat ? " " : "") + word.toLowerCase();
      flat += piece;
      for (let i = 0; i < piece.length; i++) lineAt.push(n);
    }
  });
  const marked = new Set();
  const markAll = (needle) => {
    let found = false;
    for (let at = flat.indexOf(needle); needle && at >= 0; at = flat.indexOf(needle, at + needle.length)) {
      found = true;
      for (let n = lineAt[at]; n <= lineAt[at + needle.length - 1]; n++) marked.add(n);
    }
    return found;
  };
  for (const delivery of deliveries) {
    const diagnostic = squeeze(delivery.diagnostic ?? "");
    const span = decidingSpan(delivery);
    const words = span ? squeeze(delivery.diagnostic.slice(span[0], span[1])) : "";
    // The whole diagnostic, else its start, else the words that decided.
    markAll(diagnostic) || markAll(diagnostic.slice(0, PREFIX).trim()) || markAll(words);
  }
  return marked;
}

/** The decoded notice as text, runs of marked lines wrapped in <mark>. */
export function noticeBlock(text, deliveries, cutNote) {
  const cut = text.length > NOTICE_LIMIT;
  const lines = (cut ? text.slice(0, NOTICE_LIMIT) : text).split("\n");
  const marked = decidingLines(lines, deliveries);
  const pre = el("pre", { class: "evidence notice", tabindex: "0" });
  let run = [];
  let runMarked = false;
  const flush = () => {
    if (!run.length) return;
    const chunk = run.join("\n");
    pre.append(runMarked ? el("mark", {}, chunk) : chunk);
    run = [];
  };
  lines.forEach((line, n) => {
    if (run.length && marked.has(n) !== runMarked) {
      flush();
      pre.append("\n");
    }
    runMarked = marked.has(n);
    run.push(line);
  });
  flush();
  return [pre, cut && el("p", { class: "note" }, cutNote)];
}
