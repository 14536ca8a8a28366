// The ways in: drop, file picker (one or many files, an mbox), the example buttons.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, SEED_WARNING, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });

const verdicts = (page) => page.locator(".card .verdict").allTextContents();

test("dropping a file reads it", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "dropped.eml", { type: "message/rfc822" }));
    return data;
  }, SEED_ERS);
  await page.dispatchEvent("#input", "dragenter", { dataTransfer: transfer });
  assert.equal(await page.isVisible("#drop-hint"), true);
  await page.dispatchEvent("#input", "drop", { dataTransfer: transfer });
  await page.locator(".card .verdict").first().waitFor();
  assert.match((await verdicts(page))[0], /203\.0\.113\.5/);
  assert.equal(await page.locator(".card .source").first().textContent(), "dropped.eml");
  assert.equal(await page.isVisible("#drop-hint"), false);
});

test("the file picker takes many files, and an mbox is split into its messages", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const mbox = `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${SEED_ERS.trimEnd()}\n\nFrom MAILER-DAEMON Mon Sep  5 00:00:01 2022\n${SEED_WARNING.trimEnd()}\n`;
  await page.setInputFiles("#files", [
    { name: "one.eml", mimeType: "message/rfc822", buffer: Buffer.from(SEED_ERS) },
    { name: "box.mbox", mimeType: "application/mbox", buffer: Buffer.from(mbox) },
  ]);
  await page.locator(".card").nth(2).waitFor();
  const sources = await page.locator(".card .source").allTextContents();
  assert.deepEqual(sources, ["one.eml", "box.mbox#1", "box.mbox#2"]);
  // Many messages: a summary grouped by cause and IP.
  const rows = await page.locator("#summary tbody tr").allTextContents();
  assert.equal(rows.length, 2, rows.join(" | "));
  assert.match(rows[0], /203\.0\.113\.5/);
  assert.equal(await page.locator("#summary tbody tr >> nth=0 >> td.count").textContent(), "2");
});

test("an .eml is one message whatever its From lines, as the command line reads it; pasted text goes by its content", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  // A saved message whose first line is an mbox separator and which quotes the returned message
  // behind another one.
  const quoting = `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${SEED_ERS.trimEnd()}\n\nFrom sender@example.org Mon Sep  5 00:00:00 2022\nSubject: the returned message\n\nhello\n`;
  await page.setInputFiles("#files", [
    { name: "saved.eml", mimeType: "message/rfc822", buffer: Buffer.from(quoting) },
    { name: "box.mbox", mimeType: "application/mbox", buffer: Buffer.from(quoting) },
  ]);
  await page.locator(".card").nth(2).waitFor();
  assert.deepEqual(await page.locator(".card .source").allTextContents(), ["saved.eml", "box.mbox#1", "box.mbox#2"]);
  // Old Mac line ends (CR only) are split as the same box with LF.
  const mac = `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${SEED_ERS.trimEnd()}\n\nFrom MAILER-DAEMON Mon Sep  5 00:00:01 2022\n${SEED_WARNING.trimEnd()}\n`.replace(/\r?\n/g, "\r");
  await page.setInputFiles("#files", { name: "mac.mbox", mimeType: "application/mbox", buffer: Buffer.from(mac) });
  await page.waitForFunction(() => document.querySelector(".card .source")?.textContent === "mac.mbox#1");
  assert.deepEqual(await page.locator(".card .source").allTextContents(), ["mac.mbox#1", "mac.mbox#2"]);
});

test("the example buttons load the seed cases from the same origin", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.click("[data-example=warning]");
  await page.locator(".card .severity").first().waitFor();
  assert.equal(await page.inputValue("#paste"), SEED_WARNING);
  const severity = await page.locator(".card .severity").first().textContent();
  // Retried until 10 Sep 2022 (local date, whatever the time zone makes of it).
  assert.match(severity, /September (9|10), 2022/);
  const steps = await page.locator(".card .steps li :is(label, strong)").allTextContents();
  assert.ok(steps.includes("Do not resend"), steps.join(" | "));
  await page.click("[data-example=ers-450]");
  await page.waitForFunction(() => document.querySelector(".card .verdict")?.textContent.includes("203.0.113.5"));
  // The deciding words are highlighted inside the server's text.
  const marked = await page.locator(".card pre.evidence mark").first().textContent();
  assert.ok(SEED_ERS.replace(/\s+/g, " ").includes(marked), marked);
  assert.ok(shared.browser.requests.some((url) => url.endsWith("/examples/warning.txt")));
  assert.deepEqual(shared.browser.foreignRequests(shared.server.origin), []);
  assert.deepEqual(shared.browser.violations, []);
});

test("an empty paste explains itself and a failure keeps the pasted text", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.click("#diagnose");
  assert.match(await page.locator("#error").textContent(), /Nothing was given/);
  await page.fill("#paste", "hello, this is not a bounce");
  await page.click("#diagnose");
  await page.locator(".card .verdict").first().waitFor();
  assert.match((await verdicts(page))[0], /does not look like a bounce/);
  assert.equal(await page.inputValue("#paste"), "hello, this is not a bounce");
});
