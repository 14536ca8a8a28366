// A large mbox is read in a Web Worker, with progress and cancel; the page stays responsive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, SEED_WARNING, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });

const USER_UNKNOWN = (n) => [
  "From: MAILER-DAEMON@example.net", "Subject: Undelivered Mail Returned to Sender", "",
  `<user${n}@example.com>: host mx.example.com[198.51.100.25] said: 550 5.1.1`,
  `    <user${n}@example.com>: Recipient address rejected: User unknown in virtual mailbox table`, ""].join("\n");

/** An mbox of `count` messages cycling through three causes. */
function mbox(count) {
  const bodies = [SEED_ERS, SEED_WARNING];
  let out = "";
  for (let n = 0; n < count; n++) {
    out += `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${(n % 3 === 2 ? USER_UNKNOWN(n) : bodies[n % 3]).trimEnd()}\n\n`;
  }
  return Buffer.from(out);
}

test("a large mbox goes through the worker and is summarised by cause", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const count = 3000;
  const file = mbox(count);
  assert.ok(file.length > 256 * 1024, "large enough for the worker path");
  await page.setInputFiles("#files", { name: "big.mbox", mimeType: "application/mbox", buffer: file });
  await page.locator("#summary table").waitFor({ timeout: 60_000 });
  assert.ok(shared.browser.requests.some((url) => url.endsWith("/app/worker.js")), "the worker was started");
  assert.match(await page.locator("#summary h3").textContent(), /^3000 messages/);
  const counts = await page.locator("#summary tbody td.count").allTextContents();
  assert.deepEqual(counts.map(Number).sort(), [1000, 1000, 1000]);
  assert.equal(await page.locator(".card").count(), 50);
  assert.equal(await page.isVisible("#progress"), false);
});

test("the worker is handed the page's compiled wasm: a large input fetches nothing again", async () => {
  const { page, requests } = shared.browser;
  await openPage(page, shared.server.url);
  // The service worker's install (which takes the page's copy) is over before counting.
  await page.evaluate(() => navigator.serviceWorker.ready);
  const wasmRequests = () => requests.filter((url) => url.endsWith("_bg.wasm")).length;
  const before = wasmRequests();
  const file = mbox(1500);
  assert.ok(file.length > 256 * 1024, "large enough for the worker path");
  await page.setInputFiles("#files", { name: "large.mbox", mimeType: "application/mbox", buffer: file });
  await page.locator("#summary table").waitFor({ timeout: 60_000 });
  assert.match(await page.locator("#summary h3").textContent(), /^1500 messages/);
  assert.equal(wasmRequests(), before, "no request for the wasm from the worker");
});

test("cancel stops the worker and keeps what was pasted", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.fill("#paste", "kept text");
  await page.setInputFiles("#files", { name: "huge.mbox", mimeType: "application/mbox", buffer: mbox(60000) });
  await page.locator("#progress").waitFor({ state: "visible" });
  // The main thread answers while the worker reads.
  const started = Date.now();
  await page.evaluate(() => 1);
  assert.ok(Date.now() - started < 1000, "the page stayed responsive");
  await page.click("#cancel");
  assert.match(await page.locator("#error").textContent(), /Cancelled/);
  assert.equal(await page.isVisible("#progress"), false);
  assert.equal(await page.inputValue("#paste"), "kept text");
  // The focus is not lost with the Cancel button: it is back on a control of the input.
  assert.ok(["paste", "files"].includes(await page.evaluate(() => document.activeElement.id)));
});
