// The page: reads what the user gives, asks the WebAssembly core, shows the answer. Mail content
// is only ever inserted as text (textContent, text nodes): never as HTML, never as a link.
import { el } from "./dom.js";
import { doctor, wasmHandedOff, wasmModule } from "./engine.js";
import { diagnosticBlock, noticeBlock, splitAtByteSpan } from "./evidence.js";
import { MAX_CARDS, readMessages } from "./read.js";
import { UI_TEXTS } from "./ui-texts.js";

const LANGS = ["ja", "en"];
const LANG_KEY = "bounce-doctor.lang"; // the only thing stored: the language choice
const WORKER_THRESHOLD = 256 * 1024; // bytes; above this the work moves to a worker
const SW_DELAY = 3000; // ms after start-up before the service worker stores the offline copy

const $ = (id) => document.getElementById(id);
// The language is decided before the first paint (boot.js); the page's own texts come with it
// (ui-texts.js), the rest of the catalogues with the wasm core. `results` are
// [{ report, source, bytes, notice? }] (see read.js). `done` holds the ticked steps ("card
// index:step id") and `opened` the cards whose notice is open, so a language switch keeps them.
const state = {
  lang: document.documentElement.lang === "ja" ? "ja" : "en",
  catalogues: { en: { ...UI_TEXTS.en }, ja: { ...UI_TEXTS.ja } },
  results: [], done: new Set(), opened: new Set(), worker: null, engine: null, trigger: null,
  // Browsing many results: a cause chosen in the summary (its key) and the page of cards.
  filter: null, page: 0, install: null,
};
const GLOSSARY = ["ip", "auth", "ptr", "blocklist", "ers", "retrying"];
// Steps that are a caution, not a task to tick off.
const NOT_A_TASK = new Set(["do-not-resend", "no-delisting"]);

// ---- texts ----------------------------------------------------------------------------------

function t(key, values = {}, lang = state.lang) {
  let text = state.catalogues[lang]?.[key] ?? state.catalogues.en?.[key] ?? key;
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, value);
  return text;
}

function applyLang(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  document.title = t("ui.doc-title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  if (!state.results.length) renderGlossary();
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  if (state.results.length) render(state.results, { focus: false });
}

/** The provider's name from the catalogue, or its id when the catalogue has none. */
function providerName(id) {
  const key = `provider.${id}.name`;
  const name = t(key);
  return name === key ? id : name;
}

function localDate(rfc3339) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  // With its time zone, so the one deadline the card shows says which zone it is in: Japanese
  // readers know the zone by its name (日本標準時, 協定世界時, 米国東部標準時: Intl's own long
  // names; "GMT+9" reads as foreign), English ones by the offset from GMT.
  const ja = state.lang === "ja";
  return new Intl.DateTimeFormat(ja ? "ja-JP" : "en", {
    year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: ja ? "long" : "shortOffset",
  }).format(date);
}

/** A message's name: its file, else `pasted` (by default its key's text now); "#n" in an mbox of several. */
function sourceLabel(source, pasted) {
  return `${source.name ?? pasted ?? t(source.key)}${source.part ? `#${source.part}` : ""}`;
}

/** The report with the contract's `source` filled in, as the exports give it. */
function sourcedReport({ report, source }, pasted) {
  return { source: sourceLabel(source, pasted), ...report };
}

// ---- links ----------------------------------------------------------------------------------

/** Only links from the project's own provider table or the page's issue form, and only https. */
function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// ---- input ----------------------------------------------------------------------------------

function showError(message) {
  $("error").textContent = message;
}

function setBusy(busy, done = 0, total = 0) {
  $("progress").hidden = !busy;
  $("diagnose").disabled = busy;
  if (busy) {
    const bar = $("progress-bar");
    bar.max = Math.max(total, 1);
    // One message has no steps to count: an indeterminate bar, not one stuck at zero.
    if (total > 1) bar.value = done;
    else bar.removeAttribute("value");
    $("progress-text").textContent = total ? t("ui.progress", { done, total }) : t("ui.working");
  }
}

async function engine() {
  state.engine ??= await doctor();
  return state.engine;
}

/** inputs: [{ name | key, bytes: Uint8Array }] */
async function run(inputs) {
  showError("");
  const size = inputs.reduce((sum, input) => sum + input.bytes.length, 0);
  // Only spaces and line breaks count as nothing, as an empty box does.
  if (inputs.every((input) => input.bytes.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d))) {
    // The last diagnosis answered another input: left under the error, it would read as the
    // answer to this one (try6, an empty Diagnose after a diagnosis).
    clearResults();
    // A chosen file that holds nothing is said to be empty, not taken for an empty box.
    showError(t(inputs.every((input) => input.name !== undefined) ? "note.empty-file" : "note.empty"));
    return;
  }
  state.trigger = document.activeElement;
  try {
    if (size > WORKER_THRESHOLD) {
      render(await runInWorker(inputs));
    } else {
      render(readMessages(await engine(), inputs));
    }
  } catch (error) {
    if (error?.name === "AbortError") showError(t("ui.cancelled"));
    else showError(t("ui.error.failed", { message: String(error?.message ?? error) }));
  }
}

async function runInWorker(inputs) {
  const module = await wasmModule();
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    state.worker = { worker, reject };
    setBusy(true);
    const finish = () => {
      worker.terminate();
      state.worker = null;
      setBusy(false);
    };
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") setBusy(true, data.done, data.total);
      else if (data.type === "done") { finish(); resolve(data.results); }
      else { finish(); reject(Object.assign(new Error(data.message), { name: data.name })); }
    };
    worker.onerror = (event) => { finish(); reject(new Error(event.message || "worker failed")); };
    // Copies, so a cancelled run leaves the caller's bytes intact.
    const files = inputs.map((input) => ({ name: input.name, key: input.key, buffer: input.bytes.slice().buffer }));
    worker.postMessage({ files, module }, files.map((file) => file.buffer));
  });
}

function cancel() {
  if (!state.worker) return;
  const { worker, reject } = state.worker;
  worker.terminate();
  state.worker = null;
  setBusy(false);
  reject(Object.assign(new Error("cancelled"), { name: "AbortError" }));
  // The Cancel button is gone: back to what started the reading, else the box.
  const back = state.trigger?.isConnected && !state.trigger.disabled && state.trigger !== document.body ? state.trigger : $("paste");
  back.focus();
}

async function readFiles(fileList) {
  const files = [...fileList];
  if (!files.length) return;
  const inputs = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
  await run(inputs);
}

async function loadExample(name) {
  showError("");
  try {
    const response = await fetch(new URL(`../examples/${name}.txt`, import.meta.url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    $("paste").value = await response.text();
    await diagnosePaste();
  } catch (error) {
    showError(t("ui.error.example", { message: String(error?.message ?? error) }));
  }
}

function diagnosePaste() {
  return run([{ key: "ui.pasted", bytes: new TextEncoder().encode($("paste").value) }]);
}

// ---- results --------------------------------------------------------------------------------

function mainDelivery(report) {
  return report.deliveries.find((d) => d.blocklist) ?? report.deliveries[0];
}

/**
 * The decoded notice, built when first opened; a user's opening scrolls to the first marked line
 * (a reopening after a language switch does not move the page).
 */
function noticeSection(result, index) {
  const onToggle = ({ target }) => {
    if (!target.open) return void state.opened.delete(index);
    result.notice ??= state.engine.notice(result.bytes);
    if (!target.querySelector("pre")) target.append(...noticeBlock(result.notice, result.report.deliveries, t("ui.notice.cut")).filter(Boolean));
    if (!state.opened.has(index)) target.querySelector("mark")?.scrollIntoView({ block: "nearest" });
    state.opened.add(index);
  };
  return el("details", { class: "notice", open: state.opened.has(index), ontoggle: onToggle }, el("summary", {}, t("ui.notice")));
}

/** The glossary's terms whose words a text uses, in the glossary's order. */
function termsIn(text) {
  return GLOSSARY.filter((id) => t(`glossary.${id}.words`).split(",").some((word) => {
    const at = text.toLowerCase().indexOf(word.toLowerCase());
    // A Latin word counts whole ("IP", not the "ip" of "recipient"); Japanese has no spaces.
    const edge = (c) => !c || !/[A-Za-z0-9]/.test(c) || !/^[A-Za-z]/.test(word);
    return at >= 0 && edge(text[at - 1]) && edge(text[at + word.length]) && (word !== word.toUpperCase() || text.includes(word));
  }));
}

/** The words of a card's explanation: its verdict, severity, notes and steps. */
function explanationText(explanation) {
  return [explanation.verdict, explanation.severity, ...explanation.notes, ...explanation.steps.flatMap((s) => [s.title, s.body])].join(" ");
}

/**
 * The glossary's words that a step uses, as links to their explanations, separated as the
 * language lists things ("a, b" / 「a、b」: Intl's own list pattern, so copied text and screen
 * readers do not run the terms together).
 */
function glossaryLinks(step) {
  const found = termsIn(`${step.title} ${step.body}`);
  if (!found.length) return null;
  const list = new Intl.ListFormat(state.lang, { type: "conjunction", style: "narrow" }).formatToParts(found);
  // Japanese puts no space after its full-width colon.
  return el("p", { class: "terms" }, t("ui.glossary.terms"), state.lang === "ja" ? "" : " ",
    list.map((part) => part.type === "element" ? el("a", { href: `#glossary-${part.value}` }, t(`glossary.${part.value}.term`)) : part.value));
}

/** The glossary: every term before a result, then only the terms the cards on screen use (none: no glossary). */
function renderGlossary(used = null) {
  const ids = used ? GLOSSARY.filter((id) => used.has(id)) : GLOSSARY;
  $("glossary").hidden = ids.length === 0;
  $("glossary-list").replaceChildren(...ids.flatMap((id) => [
    el("dt", { id: `glossary-${id}`, tabindex: "-1" }, t(`glossary.${id}.term`)),
    el("dd", {}, t(`glossary.${id}.body`)),
  ]));
}

/** A report of a diagnosis that looks wrong, for the project's issue form: addresses hidden. */
function preparedReport(result, lang) {
  const { report } = result;
  const text = state.engine.toText(result.bytes, lang);
  return hideAddresses([
    t("ui.report.heading", {}, lang),
    `kind=${report.kind} decoded_by=${report.decoded_by ?? "-"} reasons=${report.deliveries.map((d) => d.reason).join(",") || "-"}`,
    "",
    text.trimEnd(),
    "",
    t("ui.report.expected", {}, lang),
    "",
  ].join("\n"));
}

function reportSection(result) {
  const status = el("p", { class: "status", role: "status" });
  const box = el("textarea", { class: "report", readonly: true, rows: "8", spellcheck: "false", "aria-label": t("ui.report.title") });
  const onToggle = ({ target }) => {
    if (target.open && !box.value) box.value = preparedReport(result, state.lang);
  };
  // The project's issue form: the one setting of index.html's <meta name="issue-form">, a link only when set.
  const form = safeUrl(document.querySelector("meta[name=issue-form]")?.content);
  return el("details", { class: "wrong", ontoggle: onToggle }, el("summary", {}, t("ui.report.title")),
    el("p", {}, t("ui.report.body")), box,
    el("div", { class: "actions" }, el("button", { type: "button", onclick: () => copyText(box.value, status) }, t("ui.report.copy")),
      form && el("a", { class: "button", href: form, target: "_blank", rel: "noopener noreferrer" }, t("ui.report.form"), el("span", { class: "visually-hidden" }, ` (${t("ui.new-tab")})`))),
    status);
}

/** The format a notice was read as, in words; a mail system's own name as it is. */
function decoderName(id) {
  const key = `decoder.${id}`;
  const name = t(key);
  return name === key ? id : name;
}

function fields(delivery, report, explanation, index) {
  const rows = [
    ["label.recipient", delivery.recipient],
    ["label.action", delivery.action && t(`action.${delivery.action}`)],
    ["label.status", delivery.status],
    ["label.reply-code", delivery.reply_code],
    ["label.reason", explanation.causes[index] ?? t(`reason.${delivery.reason}`)],
    ["label.remote-mta", delivery.remote_mta],
    ["label.list", delivery.blocklist?.list],
    ["label.ip", delivery.blocklist?.ip],
    // Still retrying: the deadline is in the severity line, said once.
    ["label.retry-until", !explanation.retrying && delivery.retry_until && localDate(delivery.retry_until)],
    ["label.decoder", report.decoded_by && decoderName(report.decoded_by)],
  ];
  return el("dl", { class: "fields" }, rows.filter(([, value]) => value).flatMap(([key, value]) => [el("dt", {}, t(key)), el("dd", {}, value)]));
}

async function copyText(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = t("ui.copied");
  } catch {
    status.textContent = t("ui.copy-failed");
  }
}

/** A result that is a diagnosis: not an input that was no notice at all (a binary file, not a mail). */
function diagnosed({ report }) {
  return report.kind !== "not-a-bounce";
}

function card(result, explanation, index) {
  const { report } = result;
  const delivery = mainDelivery(report);
  // The core writes the date in the sender's offset; the page writes it in the reader's (and
  // has the core's texts write theirs with the same localDate, so one page shows one format).
  const severity = explanation.retry_until
    ? t("verdict.retrying-until", { until: localDate(explanation.retry_until) })
    : explanation.severity;
  const status = el("p", { class: "status", role: "status" });
  const blocklist = delivery?.blocklist;
  const lookup = blocklist && safeUrl(explanation.lookup_url);
  const tools = [];
  if (lookup) {
    tools.push(el("a", { class: "button primary", href: lookup, target: "_blank", rel: "noopener noreferrer" },
      t("ui.provider.open", { provider: providerName(blocklist.provider) }), el("span", { class: "visually-hidden" }, ` (${t("ui.new-tab")})`)));
  }
  if (blocklist?.ip) {
    tools.push(el("button", { type: "button", class: "copy-ip", onclick: () => copyText(blocklist.ip, status) }, t("ui.copy-ip", { ip: blocklist.ip })));
  }
  const steps = explanation.steps.map((step) => {
    const id = `step-${crypto.randomUUID()}`;
    const url = safeUrl(step.url);
    const task = !NOT_A_TASK.has(step.id);
    return el("li", { class: task ? "task" : "caution" },
      task && el("input", {
        type: "checkbox", id, "aria-describedby": `${id}-body`, checked: state.done.has(`${index}:${step.id}`),
        onchange: (event) => state.done[event.target.checked ? "add" : "delete"](`${index}:${step.id}`),
      }), task && " ",
      task ? el("label", { for: id }, step.title) : el("strong", {}, step.title),
      el("p", { id: `${id}-body` }, step.body),
      glossaryLinks(step),
      url && el("p", {}, el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url, el("span", { class: "visually-hidden" }, ` (${t("ui.new-tab")})`))));
  });
  return el("article", { class: "card", id: `card-${index}`, tabindex: "-1" },
    el("h3", { class: "source" }, sourceLabel(result.source)),
    el("p", { class: "verdict" }, explanation.verdict),
    severity && el("p", { class: `severity ${explanation.retrying ? "retrying" : "returned"}` }, severity),
    explanation.notes.map((note) => el("p", { class: "note" }, note)),
    !diagnosed(result) && el("p", { class: "note" }, t("ui.not-a-bounce.instead")),
    tools.length > 0 && el("div", { class: "tools" }, tools),
    status,
    steps.length > 0 && [el("h4", {}, t("label.advice")), el("ol", { class: "steps" }, steps)],
    report.deliveries.some((d) => d.diagnostic) && el("details", { open: true }, el("summary", {}, t("ui.evidence")),
      report.deliveries.filter((d) => d.diagnostic).map(diagnosticBlock)),
    // No diagnosis: only the message saying what was given and what to give instead.
    diagnosed(result) && noticeSection(result, index),
    report.deliveries.length > 0 && el("details", { class: "facts" }, el("summary", {}, t("ui.details")),
      report.deliveries.map((d, i) => fields(d, report, explanation, i))),
    diagnosed(result) && reportSection(result));
}

/** The summary's row a delivery belongs to: its cause, provider and IP, and whether the server
 * still retries it (a returned message must be resent, a retried one must not). */
function causeOf(report, delivery) {
  // The cause as the card's verdict and details word it: a finer cause the reply names wins.
  const id = delivery ? (delivery.cause ? `cause.${delivery.cause}` : `reason.${delivery.reason}`) : `kind.${report.kind}`;
  const retrying = delivery?.action === "delayed";
  const cause = retrying ? t("ui.summary.retrying", { cause: t(id) }) : t(id);
  const provider = delivery?.blocklist ? providerName(delivery.blocklist.provider) : "";
  const ip = delivery?.blocklist?.ip ?? "";
  return { key: JSON.stringify([id, delivery?.blocklist?.provider ?? "", ip, retrying]), cause, provider, ip };
}

function causesOf(report) {
  return (report.deliveries.length ? report.deliveries : [null]).map((delivery) => causeOf(report, delivery));
}

function summary(results) {
  const groups = new Map();
  results.forEach(({ report }, index) => {
    for (const cause of causesOf(report)) {
      const group = groups.get(cause.key) ?? { ...cause, messages: new Set() };
      group.messages.add(index);
      groups.set(cause.key, group);
    }
  });
  const rows = [...groups.values()].sort((a, b) => b.messages.size - a.messages.size);
  const show = (row) => () => {
    state.filter = row ? row.key : null;
    state.page = 0;
    $("summary").replaceChildren(summary(state.results));
    renderCards();
    $(row ? "cards" : "summary").querySelector(row ? ".card" : "h3")?.focus();
  };
  return el("div", { class: "panel" },
    el("h3", { tabindex: "-1" }, t("ui.summary.title", { count: results.length })),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["ui.summary.cause", "label.provider", "label.ip", "ui.summary.count", "ui.summary.show"].map((key) => el("th", { scope: "col" }, t(key))))),
      el("tbody", {}, rows.map((row) => el("tr", { "aria-current": state.filter === row.key ? "true" : null },
        el("td", {}, row.cause), el("td", {}, row.provider), el("td", { class: "ip" }, row.ip), el("td", { class: "count" }, String(row.messages.size)),
        el("td", {}, el("button", { type: "button", class: "show", onclick: show(row), "aria-label": `${t("ui.summary.show")}: ${row.cause} ${row.provider} ${row.ip}`.trim() }, t("ui.summary.show")))))))),
    el("div", { class: "actions" },
      state.filter && el("button", { type: "button", onclick: show(null) }, t("ui.summary.all")),
      el("button", { type: "button", onclick: downloadCsv }, t("ui.summary.csv"))));
}

/** The indices of the results the cards show: all, or those of the cause chosen in the summary. */
function shownIndices() {
  const all = state.results.map((_, index) => index);
  return state.filter ? all.filter((index) => causesOf(state.results[index].report).some((cause) => cause.key === state.filter)) : all;
}

function renderCards() {
  const core = state.engine;
  const indices = shownIndices();
  const pages = Math.max(1, Math.ceil(indices.length / MAX_CARDS));
  state.page = Math.min(state.page, pages - 1);
  const from = state.page * MAX_CARDS;
  const shown = indices.slice(from, from + MAX_CARDS);
  const pager = () => pages > 1 && el("div", { class: "pager" },
    el("button", { type: "button", disabled: state.page === 0, onclick: () => turn(-1) }, t("ui.page.prev")),
    el("span", {}, t("ui.page.status", { from: from + 1, to: from + shown.length, total: indices.length })),
    el("button", { type: "button", disabled: state.page === pages - 1, onclick: () => turn(1) }, t("ui.page.next")));
  const filtered = state.filter && el("p", { class: "status" }, t("ui.summary.showing", {
    count: indices.length, cause: causesOf(state.results[indices[0]].report).find((c) => c.key === state.filter)?.cause ?? "",
  }));
  const explained = shown.map((index) => [index, core.explain(state.results[index].bytes, state.lang, localDate)]);
  $("cards").replaceChildren(...[filtered, pager(), ...explained.map(([index, explanation]) => card(state.results[index], explanation, index)), pager()].filter(Boolean));
  renderGlossary(new Set(explained.flatMap(([, explanation]) => termsIn(explanationText(explanation)))));
}

function turn(step) {
  state.page += step;
  renderCards();
  $("cards").querySelector(".card")?.focus();
}

function render(results, { focus = true } = {}) {
  if (results !== state.results) {
    state.done.clear();
    state.opened.clear();
    state.filter = null;
    state.page = 0;
  }
  state.results = results;
  $("summary").replaceChildren(results.length > 1 ? summary(results) : "");
  renderCards();
  $("export-status").textContent = "";
  // Nothing to share or keep when no input was a notice.
  $("export").hidden = !results.some(diagnosed);
  $("results").hidden = false;
  if (focus) $("results").focus();
}

/** No results on screen: nothing of the last mail (addresses, words) stays. */
function clearResults() {
  state.results = [];
  state.done.clear();
  state.opened.clear();
  $("summary").replaceChildren();
  $("cards").replaceChildren();
  $("export-status").textContent = "";
  $("results").hidden = true;
  renderGlossary();
}

// ---- export ---------------------------------------------------------------------------------

function hideAddresses(text) {
  // The local part in ASCII, so a Japanese label before it ("宛先：") is not taken for it.
  return text.replace(/[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, "***@$1");
}

/** A delivery's deciding span (bytes of its diagnostic) moved to the masked diagnostic, or null. */
function maskedEvidence(delivery) {
  const { diagnostic, evidence } = delivery;
  if (!evidence || typeof diagnostic !== "string") return evidence ?? null;
  const parts = splitAtByteSpan(diagnostic, evidence.start, evidence.end)?.map(hideAddresses);
  // An address across the span's edge cannot be masked the same way in parts: the span is left out.
  if (!parts || parts.join("") !== hideAddresses(diagnostic)) return null;
  const start = new TextEncoder().encode(parts[0]).length;
  return { ...evidence, start, end: start + new TextEncoder().encode(parts[1]).length };
}

/** Every string of a report with its addresses masked as in the copied text; spans follow. */
function maskReport(value) {
  if (typeof value === "string") return hideAddresses(value);
  if (Array.isArray(value)) return value.map(maskReport);
  if (value === null || typeof value !== "object") return value;
  const masked = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskReport(inner)]));
  if ("evidence" in value && "diagnostic" in value) masked.evidence = maskedEvidence(value);
  return masked;
}

/** The report as the exports give it, masked when the user asked for addresses to be hidden. */
function exportedReport(result, pasted) {
  const report = sourcedReport(result, pasted);
  return $("hide-addresses").checked ? maskReport(report) : report;
}

function exportText(lang) {
  const text = state.results.map((result) => state.engine.toText(result.bytes, lang, sourceLabel(result.source, t("ui.pasted", {}, lang)))).join("\n");
  return $("hide-addresses").checked ? hideAddresses(text) : text;
}

/** One spreadsheet row per delivery; a cell that a spreadsheet would run as a formula is quoted. */
function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function downloadCsv() {
  const head = ["source", "kind", "recipient", "action", "status", "reply_code", "reason", "provider", "list", "ip", "retry_until", "diagnostic"];
  const rows = state.results.flatMap((result) => {
    const report = exportedReport(result, "-");
    return (report.deliveries.length ? report.deliveries : [{}]).map((d) => [report.source, report.kind, d.recipient, d.action, d.status, d.reply_code,
      d.reason, d.blocklist?.provider, d.blocklist?.list, d.blocklist?.ip, d.retry_until, d.diagnostic]);
  });
  // A byte-order mark, so spreadsheets read the UTF-8 (Japanese) right.
  download("\uFEFF" + [head, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n", "text/csv", "bounce-doctor.csv");
}

function download(text, type, name) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function downloadJson() {
  // Pasted text is "-", as standard input is for the command line.
  const lines = state.results.map((result) => JSON.stringify(exportedReport(result, "-"))).join("\n") + "\n";
  download(lines, "application/x-ndjson", "bounce-doctor.jsonl");
}

// ---- wiring ---------------------------------------------------------------------------------

function wire() {
  $("diagnose").addEventListener("click", diagnosePaste);
  $("paste").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) diagnosePaste();
  });
  $("clear").addEventListener("click", () => {
    $("paste").value = "";
    showError("");
    clearResults();
    $("paste").focus();
  });
  $("files").addEventListener("change", async (event) => {
    await readFiles(event.target.files);
    event.target.value = "";
  });
  $("cancel").addEventListener("click", cancel);
  for (const button of document.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => loadExample(button.dataset.example));
  }
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      try {
        localStorage.setItem(LANG_KEY, button.dataset.lang);
      } catch {
        // Storage blocked: the choice holds for this visit only.
      }
      applyLang(button.dataset.lang);
    });
  }
  // Files dropped outside the box must not make the browser open them.
  for (const type of ["dragover", "drop"]) document.addEventListener(type, (event) => event.preventDefault());
  const zone = $("input");
  let depth = 0;
  const dragging = (on) => { zone.classList.toggle("dragging", on); $("drop-hint").hidden = !on; };
  zone.addEventListener("dragenter", (event) => { event.preventDefault(); depth++; dragging(true); });
  zone.addEventListener("dragleave", () => { if (--depth <= 0) { depth = 0; dragging(false); } });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    depth = 0;
    dragging(false);
    readFiles(event.dataTransfer?.files ?? []);
  });
  $("copy-ja").addEventListener("click", () => copyText(exportText("ja"), $("export-status")));
  $("copy-en").addEventListener("click", () => copyText(exportText("en"), $("export-status")));
  $("download").addEventListener("click", downloadJson);
  // A printout names the recipient and the status too: the cards' closed details open for it.
  let openedForPrint = [];
  globalThis.addEventListener("beforeprint", () => {
    openedForPrint = [...document.querySelectorAll(".card details.facts:not([open])")];
    for (const details of openedForPrint) details.open = true;
  });
  globalThis.addEventListener("afterprint", () => {
    for (const details of openedForPrint) details.open = false;
    openedForPrint = [];
  });
  // Installable: the button appears only where the browser offers an install.
  globalThis.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    state.install = event;
    $("install").hidden = false;
  });
  $("install").addEventListener("click", async () => {
    const offer = state.install;
    state.install = null;
    $("install").hidden = true;
    await offer?.prompt();
  });
}

/**
 * Compiles the rule tables part by part while the page is idle, so the first diagnosis does not
 * wait for them; a part is short, so typing and clicks are not held up. A diagnosis asked for
 * before the end compiles what it needs itself. Settles when all parts are compiled.
 */
function prepareWhenIdle(core) {
  const idle = globalThis.requestIdleCallback ?? ((callback) => setTimeout(() => callback({ timeRemaining: () => 0 }), 0));
  return new Promise((done) => {
    let part = 0;
    const step = (deadline) => {
      do {
        if (!core.prepare(part++)) return void done();
      } while (deadline.timeRemaining() > 20); // the longest part takes about that
      idle(step, { timeout: 2000 });
    };
    // The timeout keeps the parts going in a tab that is never idle (or hidden).
    idle(step, { timeout: 2000 });
  });
}

async function start() {
  wire();
  try {
    const core = await engine();
    for (const lang of LANGS) Object.assign(state.catalogues[lang], core.texts(lang));
  } catch (error) {
    showError(`bounce-doctor could not start / 起動できませんでした: ${error?.message ?? error}`);
    return;
  }
  document.body.dataset.ready = "true";
  const prepared = prepareWhenIdle(state.engine);
  if ("serviceWorker" in navigator) {
    // After the page's copy of the wasm is stored, so the worker's install can take it. The
    // offline copy serves the next visit, not this one: its downloads and hashing wait until the
    // tables are compiled and a few seconds more, so they do not compete with the start-up and a
    // first diagnosis for the processor.
    Promise.all([wasmHandedOff(), prepared])
      .then(() => new Promise((later) => setTimeout(later, SW_DELAY)))
      .then(() => navigator.serviceWorker.register(new URL("../sw.js", import.meta.url))).catch(() => {});
  }
}

// The texts are in place before the first paint (boot.js keeps a page not in English unpainted
// until here); the engine loads after.
applyLang(state.lang);
delete document.documentElement.dataset.texts;
start();
