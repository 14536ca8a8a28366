// Shared by the end-to-end tests: a tiny static server for dist/ (optionally under a sub-path)
// and Debian's Chromium driven by playwright-core, with every request and CSP violation recorded.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const DIST = resolve(import.meta.dirname, "../../dist");
export const ROOT = resolve(import.meta.dirname, "../..");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png",
  ".json": "application/json", ".webmanifest": "application/manifest+json", ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves dist/ (or another build's folder, `root`) under `prefix` (e.g. "/some/sub/path/") on
 * 127.0.0.1 with `no-cache` and no validators; resolves to { origin, url, close }.
 */
export function serve(prefix = "/", root = DIST) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (!path.startsWith(prefix)) return void response.writeHead(404).end("not found");
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => {
    const origin = `http://127.0.0.1:${server.address().port}`;
    done({ origin, url: origin + prefix, close: () => new Promise((closed) => { server.closeAllConnections(); server.close(closed); }) });
  }));
}

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * A fresh browser profile. Records every request (page, workers, service worker) and every CSP
 * violation the page reports. Options go to newContext (locale, colorScheme, viewport, ...).
 */
export async function browse(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "bounce-doctor-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const violations = [];
  await context.exposeBinding("__reportCsp", (_source, text) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      globalThis.__reportCsp?.(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  return {
    context, page, requests, violations, errors,
    /** Every URL asked for, except ones of `origin` and in-page data/blob URLs. */
    foreignRequests(origin) {
      return requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the page and waits until the wasm core is loaded and the texts are in place. */
export async function openPage(page, url) {
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
}

/** The seed's reply: an ERS deferral exactly as a user pasted it (the project's own seed). */
export const SEED_ERS = readFileSync(join(ROOT, "www/examples/ers-450.txt"), "utf8");
export const SEED_WARNING = readFileSync(join(ROOT, "www/examples/warning.txt"), "utf8");

/**
 * One server and one browser for a whole test file: registers the hooks and returns an object
 * whose `server` and `browser` are set (then `setup(shared)` is run) before the first test.
 */
export function session(options = {}, prefix = "/", setup = async () => {}) {
  const shared = {};
  before(async () => {
    shared.server = await serve(prefix);
    shared.browser = await browse(options);
    await setup(shared);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

/** Runs `use(browser)` in a fresh browser, closed afterwards whatever happens. */
export async function withBrowser(options, use) {
  const browser = await browse(options);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/**
 * Offers an install as a browser would (headless Chromium never does): a synthetic
 * `beforeinstallprompt` whose prompt() counts its calls in window.__prompts. Resolves to whether
 * the page took the offer (prevented the browser's own prompt).
 */
export function offerInstall(page) {
  return page.evaluate(() => {
    const offer = new Event("beforeinstallprompt", { cancelable: true });
    globalThis.__prompts = 0;
    offer.prompt = () => { globalThis.__prompts++; return Promise.resolve({ outcome: "accepted" }); };
    offer.userChoice = Promise.resolve({ outcome: "accepted", platform: "web" });
    globalThis.dispatchEvent(offer);
    return offer.defaultPrevented;
  });
}
