// Japanese and English for every string; the default from the browser; the switch persists.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_ERS, openPage, serve, withBrowser } from "./harness.mjs";

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

test("a Japanese browser gets Japanese; the English choice persists across reloads", async () => {
  await withBrowser({ locale: "ja-JP" }, async (browser) => {
    const { page } = browser;
    await openPage(page, server.url);
    assert.equal(await page.getAttribute("html", "lang"), "ja");
    assert.equal(await page.textContent("#diagnose"), "診断する");
    await page.fill("#paste", SEED_ERS);
    await page.click("#diagnose");
    await page.locator(".card .verdict").first().waitFor();
    assert.match(await page.locator(".card .verdict").first().textContent(), /送信元サーバーのIP 203\.0\.113\.5/);

    await page.check(".card .steps input[type=checkbox] >> nth=0");
    await page.click("[data-lang=en]");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    // A ticked step stays ticked.
    assert.equal(await page.isChecked(".card .steps input[type=checkbox] >> nth=0"), true);
    assert.equal(await page.getAttribute("[data-lang=en]", "aria-pressed"), "true");
    // The result follows the switch.
    assert.match(await page.locator(".card .verdict").first().textContent(), /The receiving server is temporarily refusing mail/);
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), ["bounce-doctor.lang"]);

    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await page.textContent("#diagnose"), "Diagnose");
  });
});

test("no page string is left untranslated in either language", async () => {
  await withBrowser({ locale: "en-US" }, async (browser) => {
    const { page } = browser;
    await openPage(page, server.url);
    for (const lang of ["ja", "en"]) {
      await page.click(`[data-lang=${lang}]`);
      const leftovers = await page.$$eval("[data-i18n]", (nodes) => nodes.filter((n) => n.textContent === n.dataset.i18n).map((n) => n.dataset.i18n));
      assert.deepEqual(leftovers, [], lang);
    }
  });
});
