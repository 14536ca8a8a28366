// The copy buttons and the exports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
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

  await page.uncheck("#hide-addresses");
  const report = JSON.parse((await downloadJson(page)).trim());
  // The contract's source: pasted text is "-", as standard input is for the command line.
  assert.equal(report.source, "-");
  assert.equal(report.deliveries[0].recipient, "receiver1@example.co.jp");
  assert.ok(report.advice.some((a) => a.id === "do-not-resend"));
});

const downloadJson = async (page) => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  return readFileSync(await download.path(), "utf8");
};
const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

test("hiding addresses applies to the JSON download: every field, the deciding span kept on the same words", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  // A Postfix-style return whose server's words repeat the recipient, and a second recipient.
  await page.fill("#paste", [
    "This is the mail system at host mail.sender.example.",
    "",
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients.",
    "",
    "<hanako.yamada@customer.example>: host mx.customer.example[192.0.2.7] said: 550 5.1.1",
    "    <hanako.yamada@customer.example>: Recipient address rejected: User unknown in",
    "    virtual mailbox table (in reply to RCPT TO command)",
    "",
    "<taro+list@other.example>: host mx.other.example[192.0.2.8] said: 552 5.2.2",
    "    <taro+list@other.example>: Mailbox full (in reply to RCPT TO command)",
    "",
  ].join("\n"));
  await page.click("#diagnose");
  await page.locator(".card").first().waitFor();

  await page.uncheck("#hide-addresses");
  const plain = await downloadJson(page);
  const originals = new Set(plain.match(ADDRESS));
  assert.ok(originals.has("hanako.yamada@customer.example"), plain);

  await page.check("#hide-addresses");
  const masked = await downloadJson(page);
  for (const address of originals) assert.ok(!masked.includes(address), `${address} in ${masked}`);
  const [before, after] = [plain, masked].map((text) => JSON.parse(text.trim()));
  assert.equal(after.deliveries.length, before.deliveries.length);
  assert.equal(after.deliveries[0].recipient, "***@customer.example");
  assert.match(after.deliveries[0].diagnostic, /\*\*\*@customer\.example/);
  // The masking matches the copied text's.
  await page.click("#copy-en");
  await page.waitForFunction(() => document.querySelector("#export-status").textContent !== "");
  const copied = await clipboard(page);
  for (const address of originals) assert.ok(!copied.includes(address), copied);
  assert.match(copied, /\*\*\*@customer\.example/);
  // Where a deciding span was given, it still covers the same words, with any address masked.
  const bytes = (text) => Buffer.from(text, "utf8");
  before.deliveries.forEach((delivery, i) => {
    const moved = after.deliveries[i].evidence;
    if (!delivery.evidence || !moved) return;
    const span = bytes(delivery.diagnostic).subarray(delivery.evidence.start, delivery.evidence.end).toString();
    const maskedSpan = bytes(after.deliveries[i].diagnostic).subarray(moved.start, moved.end).toString();
    assert.equal(maskedSpan, span.replace(ADDRESS, (address) => `***${address.slice(address.lastIndexOf("@"))}`));
    assert.equal(moved.rule, delivery.evidence.rule);
  });
});
