import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });

test("pasting the seed's ERS reply names the provider and the IP, all requests same-origin", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
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
  assert.match(await lookup.textContent(), /Trend Micro/);
  // The retired portal the bounce names is mentioned, never linked.
  assert.equal(await page.locator(".card .note", { hasText: "www.mail-abuse.com" }).count(), 1);
  assert.equal(await page.locator('a[href*="mail-abuse"]').count(), 0);
  // Focus moved to the result for keyboard and screen reader users.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "results");
  // The pasted text stays.
  assert.equal(await page.inputValue("#paste"), SEED_ERS);
  assert.deepEqual(shared.browser.foreignRequests(shared.server.origin), []);
  assert.deepEqual(shared.browser.violations, []);
  assert.deepEqual(shared.browser.errors, []);
});
