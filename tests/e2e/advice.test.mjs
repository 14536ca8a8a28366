// A plan for every cause, as a user sees it: the steps of an authentication failure, a full
// mailbox and a carrier's domain filter in both languages, a Barracuda lookup link, and a delay
// card that states its deadline once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_WARNING, openPage, session, withBrowser } from "./harness.mjs";

const shared = session({ locale: "en-US" }, "/", async ({ browser, server }) => openPage(browser.page, server.url));

/** Pastes `text`, diagnoses it and returns the first card's step titles and bodies in `lang`. */
async function stepsOf(text, lang) {
  const { page } = shared.browser;
  await page.click(`[data-lang=${lang}]`);
  await page.fill("#paste", text);
  // Drop the previous card, so the steps read below are this diagnosis's.
  await page.evaluate(() => document.getElementById("cards").replaceChildren());
  await page.click("#diagnose");
  await page.locator(".card .steps li").first().waitFor();
  return page.$$eval(".card .steps li", (items) => items.map((li) => ({ title: li.querySelector("label, strong").textContent, body: li.querySelector("p").textContent })));
}

const CASES = [
  {
    name: "an authentication failure",
    text: "<hanako@gmail.example>: host gmail-smtp-in.l.google.com[198.51.100.27] said: 550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. 5.7.26 Authentication results: DKIM = did not pass SPF [example.net] with ip: [192.0.2.79] = did not pass (in reply to end of DATA command)",
    en: { title: "Repair the sender authentication", body: /SPF did not pass.*example\.net.*192\.0\.2\.79/ },
    ja: { title: "送信ドメイン認証を直す", body: /SPFは不合格.*example\.net.*192\.0\.2\.79/ },
  },
  {
    name: "a full mailbox",
    text: "<hanako@example.jp>: host mx.example.jp[198.51.100.25] said: 552 5.2.2 <hanako@example.jp>: Recipient address rejected: Mailbox full (in reply to RCPT TO command)",
    en: { title: "Contact the recipient another way", body: /mailbox is full/ },
    ja: { title: "別の手段で相手に連絡する", body: /メールボックスがいっぱい/ },
  },
  {
    name: "a carrier's domain filter",
    text: "<hanako@ezweb.ne.jp>: host lsean.ezweb.ne.jp[198.51.100.14] said: 550 5.2.0 Rejected by the recipient's mail filter (in reply to RCPT TO command)",
    en: { title: "Contact the recipient another way", body: /domain filter/ },
    ja: { title: "別の手段で相手に連絡する", body: /ドメイン指定受信/ },
  },
];

for (const { name, text, en, ja } of CASES) {
  test(`${name} shows its steps in both languages, who acts, and a resend once fixed`, async () => {
    for (const [lang, want, resend] of [["en", en, "Resend once fixed"], ["ja", ja, "原因を直してから再送する"]]) {
      const steps = await stepsOf(text, lang);
      const step = steps.find((s) => s.title === want.title);
      assert.ok(step, `${lang}: ${JSON.stringify(steps)}`);
      assert.match(step.body, want.body, lang);
      assert.equal(steps.at(-1).title, resend, lang);
      // No blocklist steps for a cause that is not a listing.
      assert.ok(steps.every((s) => !/IP's listing|removal|リスト登録|削除/.test(s.title)), `${lang}: ${JSON.stringify(steps)}`);
    }
  });
}

test("a returned copy beside one still retried is not told to wait, and its step says whose mailbox is full", async () => {
  // RFC 3464: one recipient delayed, one failed for a full mailbox (try7's case, written here).
  const report = [
    "From: postmaster@mta.sender.example", "Subject: Delivery Status Notification", "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', "", "--b", "Content-Type: text/plain", "",
    "One recipient is still being retried; one failed.", "", "--b", "Content-Type: message/delivery-status", "",
    "Reporting-MTA: dns; mta.sender.example", "",
    "Final-Recipient: rfc822; tanimoto@far.example", "Action: delayed", "Status: 4.4.1", "Diagnostic-Code: smtp; 421 4.4.1 Connection timed out", "",
    "Final-Recipient: rfc822; ogawa@near.example", "Action: failed", "Status: 5.2.2", "Diagnostic-Code: smtp; 552 5.2.2 <ogawa@near.example>: Mailbox quota exceeded", "",
    "--b--", "",
  ].join("\n");
  for (const [lang, title, waits] of [["en", "Contact the recipient another way", /next try/], ["ja", "別の手段で相手に連絡する", /次の再送/]]) {
    const steps = await stepsOf(report, lang);
    const contact = steps.find((s) => s.title === title);
    assert.ok(contact, `${lang}: ${JSON.stringify(steps)}`);
    assert.match(contact.body, /ogawa@near\.example/, lang);
    assert.doesNotMatch(contact.body, /tanimoto/, lang);
    assert.doesNotMatch(contact.body, waits, lang);
  }
  await shared.browser.page.click("[data-lang=en]");
});

test("a Barracuda listing shows its lookup link", async () => {
  const { page } = shared.browser;
  const steps = await stepsOf("<hanako@example.com>: host mx.example.com[198.51.100.30] said: 554 5.7.1 Service unavailable; Client host [203.0.113.19] blocked using b.barracudacentral.org; http://www.barracudanetworks.com/reputation/?r=1&ip=203.0.113.19 (in reply to RCPT TO command)", "en");
  assert.ok(steps.some((s) => s.title === "Check the IP's listing"), JSON.stringify(steps));
  const href = "https://www.barracudacentral.org/lookups/lookup-reputation";
  assert.equal(await page.locator(`.card .steps a[href="${href}"]`).count(), 1);
  assert.equal(await page.getAttribute(".card .tools a.button", "href"), href);
  // The bounce's own plain-http link is never made clickable.
  assert.equal(await page.locator('.card a[href^="http://"]').count(), 0);
});

test("a delay card states its deadline once, with its offset", async () => {
  const { page } = shared.browser;
  for (const lang of ["en", "ja"]) {
    const steps = await stepsOf(SEED_WARNING, lang);
    assert.ok(steps.length > 0);
    const severity = await page.textContent(".card .severity");
    // The deadline (5 days after 5 Sep 2022 00:00 +09:00) in the reader's zone, which it names.
    assert.match(severity, /2022/, lang);
    // English by its offset from GMT, Japanese by the zone's name (協定世界時, ...日本標準時).
    assert.match(severity, lang === "en" ? /GMT|UTC/ : /時|GMT/, lang);
    const elsewhere = await page.$$eval(".card .verdict, .card .steps, .card dl.fields", (nodes) => nodes.map((n) => n.textContent).join("\n"));
    assert.doesNotMatch(elsewhere, /2022/, lang);
    // A delay is never said to have been given up on.
    assert.doesNotMatch(await page.textContent(".card .verdict"), /gave up|諦め/, lang);
  }
});

test("the deadline names the reader's time zone as the reader's language does", async () => {
  // The seed warning's deadline is 10 Sep 2022 00:00 +09:00 (5 days after it was sent).
  const cases = [
    ["ja-JP", "Asia/Tokyo", "ja", /2022年9月10日 00:00 日本標準時/],
    ["ja-JP", "UTC", "ja", /2022年9月9日 15:00 協定世界時/],
    // Daylight saving time in September: the zone's summer name.
    ["ja-JP", "America/New_York", "ja", /2022年9月9日 11:00 米国東部夏時間/],
    // English as before: the offset.
    ["en-US", "Asia/Tokyo", "en", /September 10, 2022 at 12:00 AM GMT\+9/],
    ["en-US", "UTC", "en", /September 9, 2022 at 03:00 PM GMT\+0/],
  ];
  for (const [locale, timezoneId, lang, want] of cases) {
    await withBrowser({ locale, timezoneId }, async ({ page }) => {
      await openPage(page, shared.server.url);
      await page.click(`[data-lang=${lang}]`);
      await page.fill("#paste", SEED_WARNING);
      await page.click("#diagnose");
      const severity = await page.locator(".card .severity").textContent();
      assert.match(severity, want, `${locale} ${timezoneId}`);
      if (lang === "ja") assert.doesNotMatch(severity, /GMT/, `${locale} ${timezoneId}`);
    });
  }
});
