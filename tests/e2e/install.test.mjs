// Installable: the install button stays hidden until the browser offers an install
// (`beforeinstallprompt`), then appears in the page's language and asks the browser's prompt.
// Headless Chromium offers one by itself shortly after the load; that real offer is held back
// here, so the page is seen without one, and then given a synthetic offer with a stubbed prompt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { offerInstall, openPage, session } from "./harness.mjs";

const shared = session({ locale: "en-US" }, "/", ({ browser }) => browser.context.addInitScript(() => {
  // Registered before the page's own listener, so the browser's offer never reaches it.
  globalThis.addEventListener("beforeinstallprompt", (event) => { if (event.isTrusted) event.stopImmediatePropagation(); });
}));

for (const [lang, label] of [["ja", "このページをアプリとしてインストール"], ["en", "Install this page as an app"]]) {
  test(`install button (${lang}): hidden without an offer, shown with one, and it prompts once`, async () => {
    const { page } = shared.browser;
    await openPage(page, shared.server.url);
    await page.click(`[data-lang=${lang}]`);
    // The browser's own offer comes within half a second of the load (measured: 0.47 s).
    await page.waitForTimeout(1000);
    assert.equal(await page.isVisible("#install"), false, "no offer, no button");
    assert.equal(await offerInstall(page), true);
    await page.locator("#install").waitFor();
    assert.equal(await page.textContent("#install"), label);
    await page.click("#install");
    assert.equal(await page.evaluate(() => globalThis.__prompts), 1);
    // An offer is good for one prompt: the button goes until the browser offers again.
    assert.equal(await page.isVisible("#install"), false);
    await page.evaluate(() => document.getElementById("install").click());
    assert.equal(await page.evaluate(() => globalThis.__prompts), 1);
  });
}

test("Chromium's own installability check passes on the page's manifest and icon", async () => {
  const { page } = shared.browser;
  await openPage(page, shared.server.url);
  const cdp = await page.context().newCDPSession(page);
  // Chromium lists what keeps a page from being installable (manifest, icon, service worker).
  // The manifest names only the SVG icon (sizes "any"), which Chromium accepts as a suitable
  // icon: no PNG copies are shipped.
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  await cdp.detach();
  assert.deepEqual(installabilityErrors, []);
});
