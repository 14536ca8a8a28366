// HTML-only bounces (tests/fixtures/html-only, written for these tests: no text part, no report
// part, the recipient only in the HTML's words): the page reads each recipient from the text, and
// the decoded notice shows the words, not the style sheets or scripts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" });
const DIR = join(ROOT, "tests/fixtures/html-only");
const CASES = [
  ["exchange.eml", "neko.tama@fabrikam.example"],
  ["minimal.eml", "suzuki@dest.example"],
  ["table.eml", "kato@dest.example"],
  ["webmail.eml", "yamada.jiro@partner.example"],
];
// Words only a style sheet or a script of these files holds.
const HIDDEN = /decoy|font:|@media|var who|552|quota/;

test("HTML-only bounces: the recipient read from the text, no style sheet or script in the notice", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  await page.setInputFiles("#files", CASES.map(([name]) => ({ name, mimeType: "message/rfc822", buffer: readFileSync(join(DIR, name)) })));
  const cards = page.locator(".card");
  await cards.nth(CASES.length - 1).waitFor();
  for (const [index, [name, recipient]] of CASES.entries()) {
    const card = cards.nth(index);
    assert.equal(await card.locator(".source").textContent(), name);
    await card.locator("details").evaluateAll((all) => all.forEach((details) => { details.open = true; }));
    const details = await card.locator("dl.fields").innerText();
    assert.match(details, new RegExp(`Recipient\\s+${recipient.replaceAll(".", "\\.")}`), `${name}: ${details}`);
    const notice = card.locator("pre.notice");
    await notice.waitFor();
    const text = await notice.textContent();
    assert.ok(text.includes(recipient), `${name}: ${text}`);
    assert.doesNotMatch(text, HIDDEN, name);
    assert.doesNotMatch(text, /<\/?(p|td|div|style|script)\b/i, `${name}: markup left in the notice`);
    assert.doesNotMatch(await card.innerText(), HIDDEN, name);
  }
  assert.deepEqual(shared.browser.violations, []);
});
