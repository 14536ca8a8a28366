// The page: reads what the user gives, asks the WebAssembly core, shows the answer. Mail content
// is only ever inserted as text (textContent, text nodes): never as HTML, never as a link.
import { el } from "./dom.js";
import { doctor, wasmHandedOff } from "./engine.js";
import { diagnosticBlock, noticeBlock } from "./evidence.js";
import { MAX_CARDS, readMessages } from "./read.js";

const LANGS = ["ja", "en"];
const LANG_KEY = "bounce-doctor.lang"; // the only thing stored: the language choice
const WORKER_THRESHOLD = 256 * 1024; // bytes; above this the work moves to a worker

const $ = (id) => document.getElementById(id);
// `results` are [{ report, source, notice }] (see read.js). `done` holds the ticked steps ("card
// index:step id") and `opened` the cards whose notice is open, so a language switch keeps them.
const state = { lang: "en", catalogues: {}, results: [], done: new Set(), opened: new Set(), worker: null, engine: null };

// ---- texts ----------------------------------------------------------------------------------

function t(key, values = {}, lang = state.lang) {
  let text = state.catalogues[lang]?.[key] ?? state.catalogues.en?.[key] ?? key;
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, value);
  return text;
}

function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (LANGS.includes(saved)) return saved;
  return (navigator.languages ?? [navigator.language]).some((tag) => /^ja\b/i.test(tag)) ? "ja" : "en";
}

function applyLang(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  document.title = t("ui.title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
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
  return new Intl.DateTimeFormat(state.lang === "ja" ? "ja-JP" : "en", { dateStyle: "long", timeStyle: "short" }).format(date);
}

/** A message's name: its file, else `pasted` (by default its key's text now); "#n" in an mbox. */
function sourceLabel(source, pasted) {
  return `${source.name ?? pasted ?? t(source.key)}${source.part ? `#${source.part}` : ""}`;
}

/** The report with the contract's `source` filled in, as the exports give it. */
function sourcedReport({ report, source }, pasted) {
  return { source: sourceLabel(source, pasted), ...report };
}

// ---- links ----------------------------------------------------------------------------------

/** Only links from the project's own provider table, and only https. */
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
  if (size === 0) {
    showError(t("note.empty"));
    return;
  }
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

function runInWorker(inputs) {
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
    worker.postMessage({ files }, files.map((file) => file.buffer));
  });
}

function cancel() {
  if (!state.worker) return;
  const { worker, reject } = state.worker;
  worker.terminate();
  state.worker = null;
  setBusy(false);
  reject(Object.assign(new Error("cancelled"), { name: "AbortError" }));
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
function noticeSection({ report, notice }, index) {
  const onToggle = ({ target }) => {
    if (!target.open) return void state.opened.delete(index);
    if (!target.querySelector("pre")) target.append(...noticeBlock(notice, report.deliveries, t("ui.notice.cut")).filter(Boolean));
    if (!state.opened.has(index)) target.querySelector("mark")?.scrollIntoView({ block: "nearest" });
    state.opened.add(index);
  };
  return el("details", { class: "notice", open: state.opened.has(index), ontoggle: onToggle }, el("summary", {}, t("ui.notice")));
}

function fields(delivery, report) {
  const rows = [
    ["label.recipient", delivery.recipient],
    ["label.action", delivery.action],
    ["label.status", delivery.status],
    ["label.reply-code", delivery.reply_code],
    ["label.reason", `${t(`reason.${delivery.reason}`)} (${delivery.reason})`],
    ["label.remote-mta", delivery.remote_mta],
    ["label.list", delivery.blocklist?.list],
    ["label.ip", delivery.blocklist?.ip],
    ["label.retry-until", delivery.retry_until && localDate(delivery.retry_until)],
    ["label.decoder", report.decoded_by],
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

function card(result, explanation, index) {
  const { report } = result;
  const delivery = mainDelivery(report);
  // The core writes the date in the sender's offset; the page writes it in the reader's.
  const severity = explanation.retry_until
    ? t("verdict.retrying-until", { until: localDate(explanation.retry_until) })
    : explanation.severity;
  const status = el("p", { class: "status", role: "status" });
  const blocklist = delivery?.blocklist;
  const lookup = blocklist && safeUrl(blocklist.lookup_url);
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
    return el("li", {},
      el("input", {
        type: "checkbox", id, "aria-describedby": `${id}-body`, checked: state.done.has(`${index}:${step.id}`),
        onchange: (event) => state.done[event.target.checked ? "add" : "delete"](`${index}:${step.id}`),
      }), " ",
      el("label", { for: id }, step.title),
      el("p", { id: `${id}-body` }, step.body),
      url && el("p", {}, el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url, el("span", { class: "visually-hidden" }, ` (${t("ui.new-tab")})`))));
  });
  return el("article", { class: "card" },
    el("h3", { class: "source" }, sourceLabel(result.source)),
    el("p", { class: "verdict" }, explanation.verdict),
    severity && el("p", { class: `severity ${explanation.retrying ? "retrying" : "returned"}` }, severity),
    explanation.notes.map((note) => el("p", { class: "note" }, note)),
    tools.length > 0 && el("div", { class: "tools" }, tools),
    status,
    steps.length > 0 && [el("h4", {}, t("label.advice")), el("ol", { class: "steps" }, steps)],
    report.deliveries.some((d) => d.diagnostic) && el("details", { open: true }, el("summary", {}, t("ui.evidence")),
      report.deliveries.filter((d) => d.diagnostic).map(diagnosticBlock)),
    result.notice && noticeSection(result, index),
    report.deliveries.length > 0 && el("details", {}, el("summary", {}, t("ui.details")),
      report.deliveries.map((d) => fields(d, report))));
}

function summary(results) {
  const groups = new Map();
  for (const { report, source } of results) {
    const deliveries = report.deliveries.length ? report.deliveries : [null];
    for (const delivery of deliveries) {
      const cause = delivery ? t(`reason.${delivery.reason}`) : t(`kind.${report.kind}`);
      const provider = delivery?.blocklist ? providerName(delivery.blocklist.provider) : "";
      const ip = delivery?.blocklist?.ip ?? "";
      const key = JSON.stringify([cause, provider, ip]);
      const group = groups.get(key) ?? { cause, provider, ip, sources: new Set() };
      group.sources.add(sourceLabel(source));
      groups.set(key, group);
    }
  }
  const rows = [...groups.values()].sort((a, b) => b.sources.size - a.sources.size);
  return el("div", { class: "panel" },
    el("h3", {}, t("ui.summary.title", { count: results.length })),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["ui.summary.cause", "label.provider", "label.ip", "ui.summary.count"].map((key) => el("th", { scope: "col" }, t(key))))),
      el("tbody", {}, rows.map((row) => el("tr", {}, el("td", {}, row.cause), el("td", {}, row.provider), el("td", {}, row.ip), el("td", {}, String(row.sources.size))))))));
}

function render(results, { focus = true } = {}) {
  if (results !== state.results) {
    state.done.clear();
    state.opened.clear();
  }
  state.results = results;
  const core = state.engine;
  $("summary").replaceChildren(results.length > 1 ? summary(results) : "");
  const shown = results.slice(0, MAX_CARDS);
  $("cards").replaceChildren(...shown.map((result, index) => card(result, core.explain(result.report, state.lang), index)),
    results.length > MAX_CARDS ? el("p", { class: "note" }, t("ui.more", { shown: MAX_CARDS, total: results.length })) : "");
  $("export-status").textContent = "";
  $("results").hidden = false;
  if (focus) $("results").focus();
}

// ---- export ---------------------------------------------------------------------------------

function hideAddresses(text) {
  return text.replace(/[^\s<>"'()[\],;:@]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, "***@$1");
}

function exportText(lang) {
  const text = state.results.map((result) => state.engine.toText(sourcedReport(result, t("ui.pasted", {}, lang)), lang)).join("\n");
  return $("hide-addresses").checked ? hideAddresses(text) : text;
}

function downloadJson() {
  // Pasted text is "-", as standard input is for the command line.
  const lines = state.results.map((result) => JSON.stringify(sourcedReport(result, "-"))).join("\n") + "\n";
  const url = URL.createObjectURL(new Blob([lines], { type: "application/x-ndjson" }));
  const link = el("a", { href: url, download: "bounce-doctor.jsonl" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
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
      localStorage.setItem(LANG_KEY, button.dataset.lang);
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
}

async function start() {
  wire();
  try {
    const core = await engine();
    for (const lang of LANGS) state.catalogues[lang] = core.texts(lang);
  } catch (error) {
    showError(`bounce-doctor could not start / 起動できませんでした: ${error?.message ?? error}`);
    return;
  }
  applyLang(initialLang());
  document.body.dataset.ready = "true";
  if ("serviceWorker" in navigator) {
    // After the page's copy of the wasm is stored, so the worker's install can take it.
    wasmHandedOff().then(() => navigator.serviceWorker.register(new URL("../sw.js", import.meta.url))).catch(() => {});
  }
}

start();
