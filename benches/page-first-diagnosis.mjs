// `make bench` row: time from navigation to the first diagnosis of a pasted bounce, in Debian's
// headless Chromium against dist/ on 127.0.0.1. Each load uses a fresh browser profile (a first
// visit: no service-worker cache), after one warm-up load; the median is reported.
import { DIST, SEED_ERS, browse, serve } from "../tests/e2e/harness.mjs";
import { existsSync } from "node:fs";

const MEASURE = "page: navigation to first diagnosis (headless Chromium, fresh profile)";
const TARGET = "≤ 1 s";
const LOADS = 7;

if (!existsSync(`${DIST}/index.html`)) {
  console.log(`| ${MEASURE} | skipped: no dist/ (make build) | ${TARGET} | – |`);
  process.exit(0);
}

const server = await serve("/");
const times = [];
try {
  for (let load = 0; load <= LOADS; load++) {
    const browser = await browse({ locale: "en-US" });
    try {
      const { page } = browser;
      // The page's own clock (0 = navigation start) marks when the verdict appears, so the
      // browser's start-up and the test driver's overhead are not counted.
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (document.querySelector(".card .verdict")) {
            globalThis.__firstVerdict = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true]");
      await page.fill("#paste", SEED_ERS);
      await page.click("#diagnose");
      await page.locator(".card .verdict").first().waitFor();
      const elapsed = await page.evaluate(() => globalThis.__firstVerdict);
      if (load > 0) times.push(elapsed); // the first load warms the disk cache and Chromium
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const met = median <= 1000 ? "yes" : "**no**";
console.log(`| ${MEASURE} | median ${median.toFixed(0)} ms of ${times.length} loads (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}) | ${TARGET} | ${met} |`);
