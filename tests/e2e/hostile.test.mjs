// A bounce written to attack the page: everything in it must stay text, in the evidence view too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });

const HOSTILE = [
  "From: MAILER-DAEMON@example.net",
  "To: sender@example.org",
  "Subject: Undelivered Mail Returned to Sender",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="b"',
  "",
  "--b",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "This is the mail system at host mail.example.net.",
  "",
  "<victim@example.com>: host mx.example.com[198.51.100.25] said: 550 5.7.1",
  '    <script>window.__pwned = 1</script> <img src="x" onerror="window.__pwned = 2">',
  '    blocked using Trend Micro, see javascript:window.__pwned=3 <a href="javascript:window.__pwned=4">here</a>',
  "",
  "--b",
  "Content-Type: text/html; charset=utf-8",
  "",
  '<html><body><script>window.__pwned = 5</script><img src="x" onerror="window.__pwned = 6"><a href="javascript:window.__pwned=7">x</a></body></html>',
  "--b--",
  "",
].join("\r\n");

test("a hostile bounce stays inert", async () => {
  const { page } = shared.browser;
  let dialogs = 0;
  page.on("dialog", (dialog) => { dialogs++; dialog.dismiss(); });
  await openPage(page, shared.server.url);
  await page.fill("#paste", HOSTILE);
  await page.click("#diagnose");
  await page.locator(".card .verdict").first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  const results = page.locator("#results");
  assert.equal(await results.locator("script, img, iframe, object, embed").count(), 0);
  const hrefs = await results.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  // Only the portals, downloads and the page's own glossary: nothing from the mail.
  for (const href of hrefs) assert.match(href, /^(https:|blob:|#glossary-)/, href);
  // The words are shown, as text.
  const shown = await results.textContent();
  assert.match(shown, /<script>window\.__pwned = 1<\/script>/);
  // The whole notice, opened: the mail's markup and links are words in it, nothing more.
  await page.click(".card details.notice > summary");
  const notice = page.locator(".card pre.notice");
  await notice.waitFor();
  await page.waitForTimeout(300);
  const noticeText = await notice.textContent();
  assert.match(noticeText, /<script>window\.__pwned = 1<\/script> <img src="x" onerror="window\.__pwned = 2">/);
  assert.match(noticeText, /<a href="javascript:window\.__pwned=4">here<\/a>/);
  // The HTML part is shown as its words; a script in it is not words of the notice.
  assert.doesNotMatch(noticeText, /__pwned = 5/);
  assert.deepEqual(await notice.evaluate((pre) => [...pre.querySelectorAll("*")].map((node) => node.tagName)), ["MARK"]);
  assert.match(await notice.locator("mark").textContent(), /said: 550 5\.7\.1/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  assert.ok(!shared.browser.requests.some((url) => /\/x$/.test(url)), "the mail's <img> was never fetched");
  assert.deepEqual(shared.browser.foreignRequests(shared.server.origin), []);
  assert.deepEqual(shared.browser.violations, []);
});
