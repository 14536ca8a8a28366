// Served from a sub-path, the page works, registers its service worker there, and works offline
// after one visit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" }, "/some/sub/path/");

test("from /some/sub/path/, online then offline", async () => {
  const { page, context } = shared.browser;
  await openPage(page, shared.server.url);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, shared.server.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // One download of the wasm on a first visit, although this host sends `no-cache` without
  // validators: the service worker keeps the page's own copy (the preload is that same fetch).
  const wasm = shared.browser.requests.filter((url) => url.endsWith("/bounce-doctor_bg.wasm"));
  assert.equal(wasm.length, 1, wasm.join(" "));
  assert.deepEqual(await page.evaluate(() => caches.keys().then((keys) => keys.filter((key) => key.endsWith("-handoff")))), []);
  // The web app manifest and every icon it names load from the sub-path.
  const icons = await page.evaluate(async () => {
    const href = document.querySelector("link[rel=manifest]").href;
    const manifest = await (await fetch(href)).json();
    return Promise.all(manifest.icons.map(async (icon) => (await fetch(new URL(icon.src, href))).status));
  });
  assert.ok(icons.length > 0, "the manifest names an icon");
  assert.deepEqual(icons, icons.map(() => 200));
  // Every request stayed under the sub-path.
  assert.deepEqual(shared.browser.requests.filter((url) => !url.startsWith(shared.server.url)), []);

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await page.fill("#paste", SEED_ERS);
  await page.click("#diagnose");
  await page.locator(".card .verdict").first().waitFor();
  assert.match(await page.locator(".card .verdict").first().textContent(), /203\.0\.113\.5/);
  // The examples are part of the cached shell too.
  await page.click("[data-example=warning]");
  await page.waitForFunction(() => document.querySelector(".card .severity")?.textContent.includes("2022"));
  await context.setOffline(false);
  assert.deepEqual(shared.browser.foreignRequests(shared.server.origin), []);
  assert.deepEqual(shared.browser.violations, []);
  assert.deepEqual(shared.browser.errors, []);
});
