// An Outlook .msg dropped on the page is read like the mail it holds. The file comes from the
// shared corpus at test time (never copied into the repository); the test skips without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, openPage, session } from "./harness.mjs";

const FAILED = join(ROOT, "../shared/corpus/msg/Aspose.Email-for-.NET-failed.msg");
const shared = session({ locale: "en-US" });

test("a dropped .msg bounce gets its diagnosis", { skip: !existsSync(FAILED) && `${FAILED} is absent` }, async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const bytes = [...readFileSync(FAILED)];
  const transfer = await page.evaluateHandle((bytes) => {
    const data = new DataTransfer();
    // Outlook gives a dragged message no useful MIME type: the content decides.
    data.items.add(new File([new Uint8Array(bytes)], "failed.msg", { type: "application/vnd.ms-outlook" }));
    return data;
  }, bytes);
  await page.dispatchEvent("#input", "drop", { dataTransfer: transfer });
  await page.locator(".card .verdict").first().waitFor();
  assert.equal(await page.locator(".card .source").first().textContent(), "failed.msg");
  const card = await page.locator(".card").first().textContent();
  assert.match(card, /mmmmm@aspose\.com/);
  assert.match(card, /the mailbox does not exist/);
});
