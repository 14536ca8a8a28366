// axe-core finds nothing in either language or theme (prefers-color-scheme emulated), with the
// summary of several messages, cards with steps and the install button on screen; screenshots at
// 1280 and 375 px go to target/screenshots; the page fits 360 px.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT, SEED_ERS, SEED_WARNING, offerInstall, openPage, serve, withBrowser } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = join(ROOT, "target/screenshots");

let server;
before(async () => {
  server = await serve();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => { await server?.close(); });

const MBOX = [SEED_ERS, SEED_WARNING, SEED_ERS].map((text) => `From MAILER-DAEMON Mon Sep  5 00:00:00 2022\n${text.trimEnd()}\n\n`).join("");

/** Every section of the cards open, the decoded notice included (it is built on opening). */
async function openAll(page) {
  await page.locator(".card details").evaluateAll((all) => all.forEach((details) => { details.open = true; }));
  await page.locator(".card pre.notice mark").first().waitFor();
}

async function showResult(page) {
  await page.click("[data-example=ers-450]");
  await page.locator(".card .verdict").first().waitFor();
  await openAll(page);
}

for (const colorScheme of ["light", "dark"]) {
  for (const lang of ["ja", "en"]) {
    test(`axe: no violations (${lang}, ${colorScheme}): summary, steps, install button`, async () => {
      await withBrowser({ locale: lang, colorScheme }, async (browser) => {
        const { page } = browser;
        await openPage(page, server.url);
        await page.click(`[data-lang=${lang}]`);
        assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), colorScheme === "dark");
        assert.equal(await offerInstall(page), true);
        await page.setInputFiles("#files", { name: "three.mbox", mimeType: "application/mbox", buffer: Buffer.from(MBOX) });
        await page.locator("#summary table").waitFor();
        assert.ok(await page.locator(".card .steps li").count() > 0, "cards with steps");
        await openAll(page);
        assert.ok(await page.isVisible("#install"));
        assert.equal(await page.getAttribute("html", "lang"), lang);
        assert.deepEqual(await axeViolations(page), []);
        assert.deepEqual(browser.violations, []);
      });
    });
  }
}

async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP is not loosened for it.
  await page.evaluate(AXE);
  const { violations } = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

// The summary of several messages on a phone, where its table scrolls sideways.
test("axe: no violations in the summary at 375 px", async () => {
  await withBrowser({ locale: "en", viewport: { width: 375, height: 900 } }, async (browser) => {
    const { page } = browser;
    await openPage(page, server.url);
    await page.setInputFiles("#files", { name: "three.mbox", mimeType: "application/mbox", buffer: Buffer.from(MBOX) });
    await page.locator("#summary table").waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: join(SHOTS, "summary-375.png"), fullPage: true });
  });
});

for (const width of [1280, 375, 360]) {
  test(`layout at ${width} px`, async () => {
    await withBrowser({ locale: "ja-JP", viewport: { width, height: 900 } }, async (browser) => {
      const { page } = browser;
      await openPage(page, server.url);
      await showResult(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `horizontal overflow of ${overflow} px`);
      if (width !== 360) await page.screenshot({ path: join(SHOTS, `page-${width}.png`), fullPage: true });
    });
  });
}

test("keyboard: tab reaches the controls with a visible focus ring", async () => {
  await withBrowser({ locale: "en-US" }, async (browser) => {
    const { page } = browser;
    await openPage(page, server.url);
    await page.focus("#paste");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "diagnose");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, "solid");
    await page.fill("#paste", readFileSync(join(ROOT, "www/examples/ers-450.txt"), "utf8"));
    await page.focus("#diagnose");
    await page.keyboard.press("Enter");
    await page.locator(".card").first().waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "results");
  });
});
