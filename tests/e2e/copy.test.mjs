// The copy buttons and the exports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_WARNING, SEED_ERS, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US", acceptDownloads: true }, "/", ({ browser, server }) =>
  browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin }));

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

test("copy the IP", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.fill("#paste", SEED_ERS);
  await page.click("#diagnose");
  await page.click(".card .copy-ip");
  await page.waitForFunction(() => document.querySelector(".card .status").textContent !== "");
  assert.equal(await clipboard(page), "203.0.113.5");
});

test("copy as text in Japanese and English, with addresses hidden on request, and download the JSON", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.fill("#paste", SEED_WARNING);
  await page.click("#diagnose");
  await page.locator(".card").first().waitFor();

  await page.click("#copy-en");
  await page.waitForFunction(() => document.querySelector("#export-status").textContent !== "");
  const english = await clipboard(page);
  assert.match(english, /^== Pasted text$/m);
  assert.match(english, /Recipient: receiver1@example\.co\.jp/);
  assert.match(english, /Do not resend/);

  await page.check("#hide-addresses");
  await page.click("#copy-ja");
  const japanese = await clipboard(page);
  assert.match(japanese, /^== 貼り付けたテキスト$/m);
  assert.match(japanese, /宛先：\*\*\*@example\.co\.jp/);
  assert.doesNotMatch(japanese, /receiver1/);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const report = JSON.parse(readFileSync(path, "utf8").trim());
  // The contract's source: pasted text is "-", as standard input is for the command line.
  assert.equal(report.source, "-");
  assert.equal(report.deliveries[0].recipient, "receiver1@example.co.jp");
  assert.ok(report.advice.some((a) => a.id === "do-not-resend"));
});
