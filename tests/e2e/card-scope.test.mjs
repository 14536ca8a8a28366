// Whom and when a card speaks of (try6's page findings): an empty Diagnose after a diagnosis leaves
// no old answer under the error; with recipients of different outcomes the headline names whose
// cause it gives; and every date on the card is written one way, in the reader's zone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_WARNING, openPage, session } from "./harness.mjs";

// A Postfix DSN written for these tests: one recipient refused for good (5.1.1), one still
// retried (4.2.2) until a deadline given in +09:00.
const MIXED = `From: MAILER-DAEMON@mail.a.example
To: taro@a.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

<gone@b.example>: host mx.b.example[198.51.100.91] said: 550 5.1.1
    <gone@b.example>: Recipient address rejected: User unknown in local recipient table

<full@b.example>: host mx.b.example[198.51.100.91] said: 452 4.2.2
    <full@b.example>: Mailbox full

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.a.example

Final-Recipient: rfc822; gone@b.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@b.example>: Recipient address rejected: User unknown in local recipient table

Final-Recipient: rfc822; full@b.example
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 <full@b.example>: Mailbox full
Will-Retry-Until: Fri, 4 Dec 2026 09:12:02 +0900

--b--
`;

// The reader is in New York: the deadline (00:12 UTC) falls on the day before in their zone.
const shared = session({ locale: "en-US", timezoneId: "America/New_York" });

async function diagnose(page, text) {
  await openPage(page, shared.server.url);
  await page.fill("#paste", text);
  await page.click("#diagnose");
  await page.locator(".card .verdict").first().waitFor();
}

test("an empty Diagnose after a diagnosis clears the old one instead of leaving it under the error", async () => {
  const { page } = shared.browser;
  await diagnose(page, SEED_WARNING);
  assert.match(await page.locator("#results").textContent(), /receiver1@example\.co\.jp/);
  await page.fill("#paste", "");
  await page.click("#diagnose");
  assert.match(await page.locator("#error").textContent(), /Nothing was given/);
  assert.equal(await page.isVisible("#results"), false);
  assert.equal(await page.locator(".card").count(), 0);
  assert.doesNotMatch(await page.locator("body").textContent(), /receiver1/);
});

test("with recipients of different outcomes the headline names whose cause it gives, and the steps whom they are about", async () => {
  const { page } = shared.browser;
  await diagnose(page, MIXED);
  const card = page.locator(".card").first();
  const verdict = await card.locator(".verdict").textContent();
  assert.match(verdict, /^For gone@b\.example — .*does not exist/, verdict);
  const severity = await card.locator(".severity").textContent();
  assert.match(severity, /gone@b\.example/);
  assert.match(severity, /full@b\.example/);
  const steps = await card.locator(".steps > li").allInnerTexts();
  const wait = steps.find((step) => /Do not resend/.test(step));
  assert.ok(wait, steps.join("\n"));
  assert.match(wait, /full@b\.example/);
  assert.doesNotMatch(wait, /gone@b\.example/);
});

test("every date on a card is written one way, in the reader's zone", async () => {
  const { page } = shared.browser;
  await diagnose(page, MIXED);
  const card = page.locator(".card").first();
  // What the page's own Intl writes for the deadline in this reader's zone.
  const local = await page.evaluate(() => new Intl.DateTimeFormat("en", {
    year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "shortOffset",
  }).format(new Date("2026-12-04T09:12:02+09:00")));
  assert.match(local, /December 3, 2026/);
  assert.match(await card.locator(".severity").textContent(), new RegExp(local.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  const wait = (await card.locator(".steps > li").allInnerTexts()).find((step) => /Do not resend/.test(step));
  assert.ok(wait.includes(local), wait);
  // The notice's own offset, as the core writes it for the command line, appears nowhere.
  assert.doesNotMatch(await card.innerText(), /UTC\+09:00|2026-12-04 09:12/);
});
