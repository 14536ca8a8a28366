// The evidence view: the whole notice, decoded, with the lines holding the server's words marked;
// the same from the main thread and from the worker; never anything but text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SEED_WARNING, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });

/**
 * ISO-2022-JP for ASCII, kana and a little punctuation: enough to write a Japanese notice here
 * without an encoder library (JIS X 0208 rows 4 and 5 are the hiragana and katakana in order).
 */
function iso2022jp(text) {
  const PUNCT = { "\u3000": [0x21, 0x21], "、": [0x21, 0x22], "。": [0x21, 0x23], "：": [0x21, 0x27], "ー": [0x21, 0x3c] };
  const out = [];
  let jis = false;
  for (const char of text) {
    const code = char.codePointAt(0);
    let pair = PUNCT[char];
    if (code >= 0x3041 && code <= 0x3093) pair = [0x24, 0x21 + code - 0x3041];
    if (code >= 0x30a1 && code <= 0x30f6) pair = [0x25, 0x21 + code - 0x30a1];
    if (!pair && code > 0x7f) throw new Error(`not encodable here: ${char}`);
    if (pair && !jis) out.push(0x1b, 0x24, 0x42);
    if (!pair && jis) out.push(0x1b, 0x28, 0x42);
    jis = Boolean(pair);
    out.push(...(pair ?? [code]));
  }
  if (jis) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

const JAPANESE_LEAD = "このメールは、あてさきに とどけられませんでした。";
const HELP = "くわしくは、システムかんりしゃに おといあわせください。";
const REPLY = [
  "<victim@example.jp>: host mx.example.jp[198.51.100.25] said: 550 5.7.1",
  "    Service unavailable; Client host [203.0.113.5] blocked using",
  "    Trend Micro Email Reputation database.",
];

/** A Japanese notice: ISO-2022-JP text, base64 transfer encoding, the reply below a long help text. */
function japaneseBounce() {
  const lines = [JAPANESE_LEAD, "", ...Array.from({ length: 40 }, () => HELP), "", "エラーの ないよう：", ...REPLY, ""];
  const body = iso2022jp(lines.join("\r\n")).toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from([
    "From: MAILER-DAEMON@mail.example.jp",
    "To: sender@example.org",
    "Subject: =?ISO-2022-JP?B?GyRCRVs/LjwtR1QbKEI=?=",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=ISO-2022-JP",
    "Content-Transfer-Encoding: base64",
    "",
    body,
    "",
  ].join("\r\n"));
}

/** Opens the first card's notice and returns what it shows. */
async function openNotice(page) {
  const card = page.locator(".card").first();
  await card.locator("details.notice > summary").click();
  const pre = card.locator("details.notice pre.notice");
  await pre.waitFor();
  return {
    text: await pre.textContent(),
    marks: await pre.locator("mark").allTextContents(),
    html: await pre.innerHTML(),
    // The first mark is inside the scrolled box, which had to scroll to show it.
    markInView: await pre.evaluate((box) => {
      const mark = box.querySelector("mark")?.getBoundingClientRect();
      const frame = box.getBoundingClientRect();
      return Boolean(mark) && box.scrollTop > 0 && mark.top >= frame.top && mark.bottom <= frame.bottom + 1;
    }),
  };
}

test("a Japanese ISO-2022-JP, base64 bounce shows its decoded text with the deciding lines marked", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", { name: "ja.eml", mimeType: "message/rfc822", buffer: japaneseBounce() });
  await page.locator(".card .verdict").first().waitFor();
  assert.match(await page.locator(".card .verdict").first().textContent(), /203\.0\.113\.5/);
  const notice = await openNotice(page);
  assert.ok(notice.text.startsWith(JAPANESE_LEAD), notice.text.slice(0, 80));
  assert.match(notice.text, /エラーの ないよう：/);
  assert.equal(notice.marks.length, 1, notice.marks.join(" | "));
  assert.equal(notice.marks[0], REPLY.join("\n"));
  assert.ok(notice.markInView, "the marked lines were scrolled into view");
  assert.deepEqual(shared.browser.errors, []);
});

/** Quoted-printable of UTF-8, soft line breaks before 76 characters. */
function quotedPrintable(text) {
  return text.split("\n").map((line) => {
    let out = "";
    let width = 0;
    for (const byte of Buffer.from(line)) {
      const token = byte > 0x7e || byte === 0x3d ? `=${byte.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(byte);
      if (width + token.length > 73) {
        out += "=\r\n";
        width = 0;
      }
      out += token;
      width += token.length;
    }
    return out;
  }).join("\r\n");
}

test("a quoted-printable report marks the server's words in the text and in the status part", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const human = ["このメッセージは配信できませんでした。", "宛先のメールサーバーが次のように応答しました:", "", "    550 5.1.1 <nobody@example.jp>: Recipient address rejected: User unknown"].join("\n");
  const message = [
    "From: MAILER-DAEMON@mail.example.jp", "To: sender@example.org", "Subject: Undelivered Mail Returned to Sender", "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', "",
    "--b", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", quotedPrintable(human), "",
    "--b", "Content-Type: message/delivery-status", "", "Reporting-MTA: dns; mail.example.jp", "",
    "Final-Recipient: rfc822; nobody@example.jp", "Action: failed", "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.jp>: Recipient address rejected:", "    User unknown", "",
    "--b--", "",
  ].join("\r\n");
  await page.setInputFiles("#files", { name: "qp.eml", mimeType: "message/rfc822", buffer: Buffer.from(message) });
  await page.locator(".card .verdict").first().waitFor();
  const notice = await openNotice(page);
  assert.ok(notice.text.startsWith(human), notice.text.slice(0, 120));
  assert.deepEqual(notice.marks, [
    "    550 5.1.1 <nobody@example.jp>: Recipient address rejected: User unknown",
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.jp>: Recipient address rejected:\n    User unknown",
  ]);
});

test("the worker shows the same evidence as the main thread", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const message = japaneseBounce();
  await page.setInputFiles("#files", { name: "one.mbox", mimeType: "application/mbox", buffer: Buffer.from(`From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${message}\n`) });
  await page.locator(".card .verdict").first().waitFor();
  const direct = await openNotice(page);

  // The same message first in an mbox large enough for the worker.
  let big = `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${message}\n`;
  while (big.length < 300 * 1024) big += `From MAILER-DAEMON Mon Sep  5 00:00:01 2022\n${SEED_WARNING.trimEnd()}\n\n`;
  const before = shared.browser.requests.filter((url) => url.endsWith("/app/worker.js")).length;
  await page.setInputFiles("#files", { name: "big.mbox", mimeType: "application/mbox", buffer: Buffer.from(big) });
  await page.locator("#summary table").waitFor({ timeout: 60_000 });
  assert.ok(shared.browser.requests.filter((url) => url.endsWith("/app/worker.js")).length > before, "the worker was used");
  const viaWorker = await openNotice(page);
  assert.equal(viaWorker.html, direct.html);
  assert.equal(viaWorker.marks.length, 1);
});
