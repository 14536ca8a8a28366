// Many messages: the summary's IPs stay whole, its rows lead to their cards, more than 50
// messages can be browsed by page and by cause, and the whole can be downloaded as CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SEED_ERS, SEED_WARNING, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US", acceptDownloads: true });

const COUNT = 120;
function mbox() {
  let out = "";
  for (let n = 0; n < COUNT; n++) out += `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${(n % 3 ? SEED_ERS : SEED_WARNING).trimEnd()}\n\n`;
  return Buffer.from(out);
}

test("more than 50 messages: pages, a filter by cause, and a CSV of them all", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", { name: "many.mbox", mimeType: "application/mbox", buffer: mbox() });
  await page.locator("#summary table").waitFor();
  assert.match(await page.locator("#summary h3").textContent(), new RegExp(`^${COUNT} messages`));
  assert.equal(await page.locator(".card").count(), 50);
  assert.equal(await page.locator(".card .source").first().textContent(), "many.mbox#1");

  // The next page.
  await page.locator(".pager >> nth=0 >> button >> nth=1").click();
  assert.equal(await page.locator(".card .source").first().textContent(), "many.mbox#51");
  assert.equal(await page.evaluate(() => document.activeElement.id), "card-50");

  // The IP does not break across lines.
  const ip = page.locator("#summary td.ip", { hasText: "203.0.113.5" }).first();
  assert.equal(await ip.evaluate((cell) => getComputedStyle(cell).whiteSpace), "nowrap");

  // A row leads to its cards: 80 ERS messages, 50 on the first page, focus on the first.
  const row = page.locator("#summary tbody tr", { hasText: "203.0.113.5" });
  assert.equal(await row.locator("td.count").textContent(), "80");
  await row.locator("button").click();
  assert.equal(await page.locator(".card").count(), 50);
  const verdicts = await page.locator(".card .verdict").allTextContents();
  assert.ok(verdicts.every((v) => v.includes("203.0.113.5")));
  assert.equal(await page.evaluate(() => document.activeElement.id), "card-1");
  await page.locator(".pager >> nth=0 >> button >> nth=1").click();
  assert.equal(await page.locator(".card").count(), 30);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#summary button:has-text('CSV')")]);
  assert.equal(download.suggestedFilename(), "bounce-doctor.csv");
  const lines = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "").trimEnd().split("\r\n");
  assert.equal(lines[0], "source,kind,recipient,action,status,reply_code,reason,provider,list,ip,retry_until,diagnostic");
  assert.equal(lines.length, 1 + COUNT);
  assert.match(lines[2], /^many\.mbox#2,[a-z-]+,.*,trendmicro-ers,.*203\.0\.113\.5/);

  await page.click("#summary button:has-text('Show all messages')");
  assert.equal(await page.locator(".card").count(), 50);
});

test("on a phone (375 px) the summary breaks no word: headers, causes and IPs whole, the table scrolls", async () => {
  const { page } = shared.browser;
  await page.setViewportSize({ width: 375, height: 800 });
  try {
    await openPage(page, shared.server.url);
    await page.setInputFiles("#files", { name: "many.mbox", mimeType: "application/mbox", buffer: mbox() });
    await page.locator("#summary table").waitFor();
    // Each word of each cell (split at spaces, as English wraps) must lie on one line: a word
    // broken letter by letter has more than one line box.
    const broken = await page.evaluate(() => [...document.querySelectorAll("#summary th, #summary td")].flatMap((cell) => {
      const out = [];
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          if (lines.size > 1) out.push(match[0]);
        }
      }
      // A header's text wider than its cell would be cut or spill: its scrollWidth says so.
      if (cell.tagName === "TH" && cell.scrollWidth > cell.clientWidth) out.push(`${cell.textContent} (wider than its cell)`);
      return out;
    }));
    assert.deepEqual(broken, []);
    assert.ok(await page.locator("#summary th").count() >= 4);
    // The page itself does not scroll sideways; only the table's box may.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test("the summary keeps returned messages apart from those the server still retries", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  // The seed's ERS deferral (450, still retried) and the same refusal made final (550, returned).
  const returned = SEED_ERS.replace("450 4.7.1", "550 5.7.1");
  const both = [SEED_ERS, returned, SEED_ERS].map((text) => `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${text.trimEnd()}\n\n`).join("");
  await page.setInputFiles("#files", { name: "mixed.mbox", mimeType: "application/mbox", buffer: Buffer.from(both) });
  await page.locator("#summary table").waitFor();
  const rows = page.locator("#summary tbody tr", { hasText: "203.0.113.5" });
  assert.equal(await rows.count(), 2);
  const retried = rows.filter({ hasText: "(still retrying)" });
  assert.equal(await retried.locator("td.count").textContent(), "2");
  assert.equal(await rows.filter({ hasNotText: "(still retrying)" }).locator("td.count").textContent(), "1");
});
