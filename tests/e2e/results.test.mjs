// What happens around a result: Clear, blank input, the naming of files, the glossary the steps
// link to, printing, and the prepared report of a wrong diagnosis.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, SEED_WARNING, openPage, session, withBrowser } from "./harness.mjs";

const shared = session({ locale: "en-US" }, "/", ({ browser, server }) =>
  browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin }));

async function diagnose(page, text) {
  await openPage(page, shared.server.url);
  await page.fill("#paste", text);
  await page.click("#diagnose");
  await page.locator(".card .verdict").first().waitFor();
}

test("Clear empties the box and the results: no address of the last mail stays on screen", async () => {
  const { page } = shared.browser;
  await diagnose(page, SEED_WARNING);
  assert.match(await page.locator("#results").textContent(), /receiver1@example\.co\.jp/);
  await page.click("#clear");
  assert.equal(await page.inputValue("#paste"), "");
  assert.equal(await page.isVisible("#results"), false);
  assert.equal(await page.locator(".card").count(), 0);
  assert.doesNotMatch(await page.locator("body").textContent(), /receiver1/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "paste");
});

test("an empty file is said to be empty, not taken for an empty box", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", { name: "empty.eml", mimeType: "message/rfc822", buffer: Buffer.alloc(0) });
  await page.waitForFunction(() => document.querySelector("#error").textContent !== "");
  assert.match(await page.locator("#error").textContent(), /file is empty/);
  assert.equal(await page.locator(".card").count(), 0);
});

test("spaces and line breaks only are answered as an empty box", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.fill("#paste", "  \n\t \r\n ");
  await page.click("#diagnose");
  assert.match(await page.locator("#error").textContent(), /Nothing was given/);
  assert.equal(await page.locator(".card").count(), 0);
});

test("one message saved with an mbox From line is named as its file, and a file without headers is not 'pasted'", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", [
    { name: "one.eml", mimeType: "message/rfc822", buffer: Buffer.from(`From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${SEED_WARNING}`) },
    { name: "reply.txt", mimeType: "text/plain", buffer: Buffer.from(SEED_ERS) },
  ]);
  await page.locator(".card").nth(1).waitFor();
  assert.deepEqual(await page.locator(".card .source").allTextContents(), ["one.eml", "reply.txt"]);
  assert.doesNotMatch(await page.locator(".card").nth(1).innerText(), /pasted/i);
});

test("the steps link to a glossary of their words", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  // Before a result, every word of the glossary, explained in both languages.
  for (const lang of ["ja", "en"]) {
    await page.click(`[data-lang=${lang}]`);
    const entries = await page.locator("#glossary-list dd").allTextContents();
    assert.equal(entries.length, 6);
    assert.ok(entries.every((text) => text.length > 40 && !text.startsWith("glossary.")), entries.join(" | "));
  }
  await diagnose(page, SEED_ERS);
  const links = page.locator(".card .steps .terms a");
  assert.ok((await links.count()) > 0);
  const terms = await links.allTextContents();
  assert.ok(terms.includes("IP address"), terms.join(" | "));
  await page.click('.card .steps .terms a[href="#glossary-ip"] >> nth=0');
  await page.waitForFunction(() => location.hash === "#glossary-ip");
  assert.equal(await page.isVisible("#glossary-ip"), true);
  assert.match(await page.locator("#glossary-ip + dd").textContent(), /203\.0\.113\.5/);
  for (const lang of ["ja", "en"]) {
    await page.click(`[data-lang=${lang}]`);
    // Every term a step links to is in the glossary, and the glossary holds no term the card
    // does not use (an ERS deferral speaks of no SPF or reverse DNS).
    const linked = new Set(await page.locator(".card .steps .terms a").evaluateAll((as) => as.map((a) => a.getAttribute("href").slice(1))));
    const listed = await page.locator("#glossary-list dt").evaluateAll((dts) => dts.map((dt) => dt.id));
    assert.ok([...linked].every((id) => listed.includes(id)), `${lang}: ${[...linked]} | ${listed}`);
    assert.ok(listed.includes("glossary-ers") && !listed.includes("glossary-auth") && !listed.includes("glossary-ptr"), `${lang}: ${listed}`);
    // The terms of a step are separated as the language lists things, for copying and for
    // screen readers too, not run together.
    const line = await page.locator(".card .steps .terms").filter({ has: page.locator("a + a") }).first().innerText();
    const sep = lang === "ja" ? "、" : ", ";
    const shown = await page.locator(".card .steps .terms").filter({ has: page.locator("a + a") }).first().locator("a").allInnerTexts();
    assert.ok(line.includes(shown.join(sep)), `${lang}: ${line}`);
    // A term's own parts are not joined with the list's separator, so no term reads as two.
    assert.ok(shown.every((term) => !term.includes(sep)), `${lang}: ${shown}`);
    // What is painted has each separator once: none added by the style beside the text's own
    // (try7: "IP address, , QIL").
    const painted = await page.locator(".card .steps .terms").filter({ has: page.locator("a + a") }).first().evaluate((p) => {
      const drawn = (node, where) => {
        const content = getComputedStyle(node, where).content;
        return content === "none" || content === "normal" ? "" : JSON.parse(content);
      };
      return [...p.childNodes].map((node) => node.nodeType === Node.TEXT_NODE ? node.textContent : drawn(node, "::before") + node.textContent + drawn(node, "::after")).join("");
    });
    assert.ok(painted.includes(shown.join(sep)), `${lang}: ${painted}`);
  }
  await page.click("[data-lang=en]");
});

test("the glossary holds only the words the results use: no Trend Micro lists for an unknown user", async () => {
  const { page } = shared.browser;
  await diagnose(page, "<hanako@example.jp>: host mx.example.jp[198.51.100.25] said: 550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)");
  const listed = await page.locator("#glossary-list dt").evaluateAll((dts) => dts.map((dt) => dt.id));
  assert.ok(!listed.includes("glossary-ers"), listed.join(" "));
  // Clear: the whole glossary again.
  await page.click("#clear");
  assert.equal(await page.locator("#glossary-list dt").count(), 6);
});

const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);

test("an input that is no notice shows what was given and what to give instead, not the tools of a diagnosis", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", { name: "photo.png", mimeType: "image/png", buffer: BINARY });
  await page.locator(".card .verdict").first().waitFor();
  const card = page.locator(".card");
  assert.match(await card.innerText(), /does not look like a bounce/);
  assert.match(await card.innerText(), /binary file, not a mail message/);
  assert.match(await card.innerText(), /Paste the returned mail/);
  assert.equal(await card.locator("details.notice").count(), 0);
  assert.equal(await card.locator("details.wrong").count(), 0);
  assert.equal(await page.isVisible("#export"), false);
  // Nothing of the glossary is used: no glossary.
  assert.equal(await page.isVisible("#glossary"), false);
  await page.click("#clear");
  assert.equal(await page.isVisible("#glossary"), true);
});

test("a batch of bounces and one binary file keeps the tools for the bounces", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", [
    { name: "photo.png", mimeType: "image/png", buffer: BINARY },
    { name: "warning.txt", mimeType: "text/plain", buffer: Buffer.from(SEED_WARNING) },
    { name: "ers.txt", mimeType: "text/plain", buffer: Buffer.from(SEED_ERS) },
  ]);
  await page.locator(".card").nth(2).waitFor();
  const cards = page.locator(".card");
  for (const [index, tools] of [[0, 0], [1, 1], [2, 1]]) {
    assert.equal(await cards.nth(index).locator("details.notice").count(), tools, `card ${index}`);
    assert.equal(await cards.nth(index).locator("details.wrong").count(), tools, `card ${index}`);
  }
  assert.equal(await page.isVisible("#export"), true);
  // A language switch keeps it so.
  await page.click("[data-lang=ja]");
  assert.equal(await cards.nth(0).locator("details.wrong").count(), 0);
  assert.match(await cards.nth(0).innerText(), /戻ってきたメールを/);
  assert.equal(await page.isVisible("#export"), true);
  await page.click("[data-lang=en]");
});

test("printing shows the verdict and the steps with the portal's address written out, not the input or buttons", async () => {
  const { page } = shared.browser;
  await diagnose(page, SEED_ERS);
  await page.emulateMedia({ media: "print" });
  try {
    assert.equal(await page.isVisible(".card .verdict"), true);
    assert.equal(await page.isVisible(".card .steps"), true);
    for (const hidden of ["#input", "#paste", "#diagnose", "#export", ".card .copy-ip", ".card .steps input[type=checkbox]"]) {
      assert.equal(await page.locator(hidden).first().isVisible(), false, hidden);
    }
    const printed = await page.locator(".card .steps").first().innerText();
    assert.match(printed, /https:\/\/servicecentral\.trendmicro\.com\//);
    // The details (reply code, status) print too, and close again after printing.
    await page.evaluate(() => globalThis.dispatchEvent(new Event("beforeprint")));
    assert.equal(await page.isVisible(".card details.facts"), true);
    assert.match(await page.locator(".card details.facts").first().innerText(), /450/);
    await page.evaluate(() => globalThis.dispatchEvent(new Event("afterprint")));
    assert.equal(await page.locator(".card details.facts").first().evaluate((details) => details.open), false);
  } finally {
    await page.emulateMedia({ media: "screen" });
  }
});

test("a prepared report of a wrong diagnosis: addresses hidden, the server's words kept, nothing sent", async () => {
  const { page } = shared.browser;
  await diagnose(page, SEED_WARNING);
  const before = shared.browser.requests.length;
  await page.click(".card details.wrong > summary");
  // Prepared when opened.
  await page.waitForFunction(() => document.querySelector(".card textarea.report").value !== "");
  const report = await page.inputValue(".card textarea.report");
  assert.match(report, /A diagnosis that looks wrong/);
  assert.match(report, /\*\*\*@example\.co\.jp/);
  assert.doesNotMatch(report, /receiver1/);
  // The server's words as the notice gives them.
  assert.match(report, /Connection reset by xx\.example\.co\.jp/);
  assert.match(report, /What I expected instead/);
  await page.click(".card details.wrong button");
  await page.waitForFunction(() => document.querySelector(".card details.wrong .status").textContent !== "");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), report);
  assert.equal(shared.browser.requests.length, before, "nothing was fetched or sent");
});

test("the issue form is one setting: no link while it is empty, a link to it once set (https only)", async () => {
  const { page } = shared.browser;
  await diagnose(page, SEED_WARNING);
  await page.click(".card details.wrong > summary");
  assert.equal(await page.locator(".card details.wrong a").count(), 0, "this build names no form");
  for (const [form, href] of [["https://issues.example/bounce-doctor/new", "https://issues.example/bounce-doctor/new"], ["javascript:alert(1)", null]]) {
    await withBrowser({ locale: "ja-JP" }, async (browser) => {
      // The page as a host would serve it with the setting filled in.
      await browser.context.route((url) => url.pathname === "/", async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace('<meta name="issue-form" content="">', `<meta name="issue-form" content="${form}">`);
        assert.ok(body.includes(form));
        await route.fulfill({ response, body });
      });
      await openPage(browser.page, shared.server.url);
      await browser.page.fill("#paste", SEED_WARNING);
      await browser.page.click("#diagnose");
      await browser.page.click(".card details.wrong > summary");
      const links = browser.page.locator(".card details.wrong a");
      if (!href) return assert.equal(await links.count(), 0, form);
      assert.equal(await links.getAttribute("href"), href);
      assert.equal(await links.getAttribute("target"), "_blank");
      assert.match(await links.innerText(), /問題報告フォーム/);
    });
  }
});

test("the copied text speaks of no button it lacks, and the cautions are not tasks to tick", async () => {
  const { page } = shared.browser;
  await diagnose(page, SEED_ERS);
  await page.click("#copy-en");
  await page.waitForFunction(() => document.querySelector("#export-status").textContent !== "");
  assert.doesNotMatch(await page.evaluate(() => navigator.clipboard.readText()), /button/i);
  const cautions = page.locator(".card .steps li.caution");
  assert.ok((await cautions.count()) > 0);
  assert.equal(await cautions.locator("input").count(), 0);
  // Tap targets of at least 24 px.
  const sizes = await page.locator(".card .steps input[type=checkbox]").evaluateAll((boxes) => boxes.map((b) => b.getBoundingClientRect().height));
  assert.ok(sizes.length > 0 && sizes.every((h) => h >= 24), sizes.join(","));
});
