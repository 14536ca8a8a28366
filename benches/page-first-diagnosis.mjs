// `make bench` rows: time from navigation to the first diagnosis of a pasted bounce, in Debian's
// headless Chromium against dist/ on 127.0.0.1, typed and clicked by the test driver, and again
// pasted and clicked by an in-page script (below). Each load uses a fresh browser profile (a first
// visit: no service-worker cache), after one warm-up load; the median is reported.
// With a second folder as argument (scripts/bench.sh passes the BASELINE build), loads of the
// two builds alternate, so both are measured under the same load of the machine.
import { DIST, SEED_ERS, browse, serve } from "../tests/e2e/harness.mjs";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const MEASURE = "page: navigation to first diagnosis (headless Chromium, fresh profile)";
const TARGET = "≤ 1 s";
const LOADS = 7;
const [baselineDir, baselineName = "baseline"] = process.argv.slice(2);

if (!existsSync(`${DIST}/index.html`)) {
  console.log(`| ${MEASURE} | skipped: no dist/ (make build) | ${TARGET} | – |`);
  process.exit(0);
}

async function firstDiagnosis(url) {
  const browser = await browse({ locale: "en-US" });
  try {
    const { page } = browser;
    // The page's own clock (0 = navigation start) marks when the verdict appears, so the
    // browser's start-up is not counted; the test driver's typing and clicking is. The page's
    // own parts are marked too: ready (the engine loaded) and the click to the verdict; between
    // them is the driver's waiting, typing and clicking (about the same for any page).
    await page.addInitScript(() => {
      document.addEventListener("click", () => { globalThis.__click ??= performance.now(); }, true);
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.ready) globalThis.__ready ??= performance.now();
        if (document.querySelector(".card .verdict")) {
          globalThis.__firstVerdict = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true });
    });
    await page.goto(url);
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#paste", SEED_ERS);
    await page.click("#diagnose");
    await page.locator(".card .verdict").first().waitFor();
    return await page.evaluate(() => [globalThis.__firstVerdict, globalThis.__ready, globalThis.__firstVerdict - globalThis.__click, globalThis.__click - globalThis.__ready]);
  } finally {
    await browser.close();
  }
}

// The same first diagnosis without the test driver's round trips: an in-page script pastes the
// bounce and clicks Diagnose the moment the page says it is ready, as the fastest user could. The
// driver's waiting, typing and clicking (some 0.3-0.5 s for any page on this machine, see README)
// is left out, so this row shows the page's own part: loading, starting the engine, diagnosing.
async function firstDiagnosisInPage(url) {
  const browser = await browse({ locale: "en-US" });
  try {
    const { page } = browser;
    await page.addInitScript((seed) => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.ready && globalThis.__ready === undefined) {
          globalThis.__ready = performance.now();
          const box = document.querySelector("#paste");
          box.value = seed;
          box.dispatchEvent(new Event("input", { bubbles: true }));
          document.querySelector("#diagnose").click();
        }
        if (document.querySelector(".card .verdict")) {
          globalThis.__firstVerdict = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true });
    }, SEED_ERS);
    await page.goto(url);
    await page.locator(".card .verdict").first().waitFor();
    return await page.evaluate(() => [globalThis.__firstVerdict, globalThis.__ready]);
  } finally {
    await browser.close();
  }
}

const builds = [{ name: "this build", root: DIST }];
if (baselineDir && existsSync(`${baselineDir}/index.html`)) builds.push({ name: baselineName, root: resolve(baselineDir) });
for (const build of builds) {
  build.server = await serve("/", build.root);
  build.times = [];
  build.ready = [];
  build.diagnosis = [];
  build.driver = [];
  build.inPage = [];
  build.inPageReady = [];
}
/** LOADS + 1 loads of each build, alternating; `record` keeps each load's numbers but the first. */
async function eachLoad(measure, record) {
  for (let load = 0; load <= LOADS; load++) {
    for (const build of builds) {
      const numbers = await measure(build.server.url);
      if (load > 0) record(build, numbers); // the first load warms the disk cache and Chromium
    }
  }
}

try {
  await eachLoad(firstDiagnosis, (build, [elapsed, ready, diagnosis, driver]) => {
    build.times.push(elapsed);
    build.ready.push(ready);
    build.diagnosis.push(diagnosis);
    build.driver.push(driver);
  });
  await eachLoad(firstDiagnosisInPage, (build, [elapsed, ready]) => {
    build.inPage.push(elapsed);
    build.inPageReady.push(ready);
  });
} finally {
  for (const build of builds) await build.server.close();
}
const median = (times) => times.toSorted((a, b) => a - b)[Math.floor(times.length / 2)];

/** One row per build (median of `times`, then `detail`), and the ratio of the two builds'. */
function rows(measure, times, detail, comparison) {
  for (const build of builds) {
    const sorted = times(build).toSorted((a, b) => a - b);
    const m = median(sorted);
    const label = builds.length > 1 ? `${measure}, ${build.name}` : measure;
    console.log(`| ${label} | median ${m.toFixed(0)} ms of ${sorted.length} loads (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}); of it, ${detail(build)} | ${TARGET} | ${m <= 1000 ? "yes" : "**no**"} |`);
  }
  if (builds.length > 1) {
    const ratio = median(times(builds[0])) / median(times(builds[1]));
    console.log(`| ${comparison}, this build against ${baselineName} (same run, loads alternating) | ${(ratio * 100).toFixed(0)} % of its time | ≤ 50 % | ${ratio <= 0.5 ? "yes" : "**no**"} |`);
  }
}

rows(MEASURE, (build) => build.times,
  (build) => `ready after ${median(build.ready).toFixed(0)} ms, the driver's typing and clicking from ready to the click ${median(build.driver).toFixed(0)} ms, and the click to the verdict ${median(build.diagnosis).toFixed(0)} ms (medians)`,
  "page: first diagnosis");
rows("page: navigation to first diagnosis, pasted and clicked by an in-page script at ready (no driver round trips)", (build) => build.inPage,
  (build) => `ready after ${median(build.inPageReady).toFixed(0)} ms`,
  "page: first diagnosis without the driver");
