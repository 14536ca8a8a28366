import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, browse, openPage, serve } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await browse({ locale: "en-US" });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("pasting the seed's ERS reply names the provider and the IP, all requests same-origin", async () => {
  const { page } = browser;
  await openPage(page, server.url);
  await page.fill("#paste", SEED_ERS);
  await page.click("#diagnose");
  const verdict = page.locator(".card .verdict").first();
  await verdict.waitFor();
  const text = await verdict.textContent();
  assert.match(text, /Trend Micro/);
  assert.match(text, /203\.0\.113\.5/);
  assert.equal(await page.locator(".card .severity.retrying").count(), 1);
  const lookup = page.locator(".card a.button").first();
  assert.equal(await lookup.getAttribute("target"), "_blank");
  assert.equal(await lookup.getAttribute("rel"), "noopener noreferrer");
  assert.match(await lookup.getAttribute("href"), /^https:\/\/servicecentral\.trendmicro\.com\//);
  // Focus moved to the result for keyboard and screen reader users.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "results");
  // The pasted text stays.
  assert.equal(await page.inputValue("#paste"), SEED_ERS);
  assert.deepEqual(browser.foreignRequests(server.origin), []);
  assert.deepEqual(browser.violations, []);
  assert.deepEqual(browser.errors, []);
});
