// Large pastes of repeated shapes end in seconds, and a pasted mail log gives a bounded answer
// (issue 15: a 1 MB paste with many bare `550` tokens used to take minutes in the page).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });

/** About `bytes` of ordinary words, every line holding a bare reply code. */
function wordsWithCodes(bytes) {
  const words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "mail", "server", "message", "report"];
  let out = "";
  for (let n = 0; out.length < bytes; n++) {
    out += `${words[n % 12]} ${words[(n * 7) % 12]} ${words[(n * 5) % 12]} 550 ${words[(n * 3) % 12]}\n`;
  }
  return out;
}

/** A Postfix mail log of `lines` bounced deliveries, as an administrator might paste it. */
function mailLog(lines) {
  let out = "";
  for (let n = 0; n < lines; n++) {
    out += `Nov 30 12:00:${String(n % 60).padStart(2, "0")} mx postfix/smtp[${1000 + n}]: ${n.toString(16).toUpperCase()}: to=<user${n}@example.com>, relay=mx.example.com[198.51.100.25]:25, dsn=5.1.1, status=bounced (host mx.example.com[198.51.100.25] said: 550 5.1.1 <user${n}@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n`;
  }
  return out;
}

async function diagnoseText(page, text) {
  // As a paste does: the value set at once (typing a megabyte key by key is not what users do).
  await page.$eval("#paste", (area, value) => {
    area.value = value;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
  const started = Date.now();
  await page.click("#diagnose");
  await page.locator(".card .verdict").first().waitFor({ timeout: 60_000 });
  return Date.now() - started;
}

test("a 1 MB paste of words with bare reply codes is answered within seconds", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const text = wordsWithCodes(1024 * 1024);
  const elapsed = await diagnoseText(page, text);
  console.log(`# 1 MB paste with bare 550 codes: ${elapsed} ms from click to verdict`);
  assert.ok(elapsed < 8000, `took ${elapsed} ms`);
  assert.equal(await page.isVisible("#progress"), false);
  assert.deepEqual(shared.browser.errors, []);
});

test("a pasted mail log of thousands of lines shows a bounded result with a count of the rest", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const elapsed = await diagnoseText(page, mailLog(6000));
  console.log(`# 6 000-line mail log: ${elapsed} ms from click to verdict`);
  assert.equal(await page.locator(".card").count(), 1);
  assert.equal(await page.locator(".card .note", { hasText: "5900 more recipients" }).count(), 1);
  // The page holds a bounded number of elements, not one block per log line.
  const nodes = await page.evaluate(() => document.querySelectorAll("*").length);
  assert.ok(nodes < 6000, `${nodes} elements`);
  assert.deepEqual(shared.browser.errors, []);
});
