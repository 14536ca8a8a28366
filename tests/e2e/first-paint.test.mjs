// A Japanese browser sees Japanese from the first painted frame: the language is decided before
// the first render, and no frame shows the English of the HTML.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { serve, withBrowser } from "./harness.mjs";

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/** Before any script of the page: record, at every frame, what a visitor could see. */
function watchFrames() {
  globalThis.__frames = [];
  const look = () => {
    const body = document.body;
    const visible = body && getComputedStyle(body).visibility !== "hidden";
    globalThis.__frames.push({
      lang: document.documentElement.lang,
      visible,
      tagline: body?.querySelector(".tagline")?.textContent ?? null,
      title: document.title,
    });
    if (!body?.dataset.ready) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

for (const [locale, lang, tagline, title] of [
  ["ja-JP", "ja", /メールが届かなかった理由/, /メールが届かなかった理由を調べる/],
  ["en-US", "en", /Why did my mail not arrive/, /why did my mail not arrive/],
]) {
  test(`${locale}: every painted frame is in ${lang}, and the tab title says what the page does`, async () => {
    await withBrowser({ locale }, async (browser) => {
      const { page } = browser;
      await page.addInitScript(watchFrames);
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true]");
      const frames = await page.evaluate(() => globalThis.__frames);
      const shown = frames.filter((frame) => frame.visible && frame.tagline !== null);
      assert.ok(shown.length > 0, "some frame was painted");
      for (const frame of shown) {
        assert.equal(frame.lang, lang);
        assert.match(frame.tagline, tagline);
      }
      assert.match(await page.title(), title);
      assert.deepEqual(browser.errors, []);
    });
  });
}

/** The input panel's visible text, on a fresh page with these browser options. */
function inputHelp(options) {
  return withBrowser(options, async ({ page }) => {
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]");
    return page.locator("#input").innerText();
  });
}

test("on a phone the help speaks of no mouse or keyboard: no dropping, dragging or Ctrl+Enter", async () => {
  const phone = { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true };
  for (const [locale, desktopWords, phoneWords] of [["ja-JP", /Ctrl|ドロップ|ドラッグ|メール一覧/, /スマートフォン/], ["en-US", /Ctrl|drop|drag|message list/i, /phone/]]) {
    const onPhone = await inputHelp({ locale, ...phone });
    assert.doesNotMatch(onPhone, desktopWords, locale);
    assert.match(onPhone, phoneWords, locale);
    assert.match(onPhone, /\.eml/, locale);
    // A desktop keeps its help, and is not told about phones.
    const onDesktop = await inputHelp({ locale });
    assert.match(onDesktop, desktopWords, locale);
    assert.doesNotMatch(onDesktop, phoneWords, locale);
  }
});
