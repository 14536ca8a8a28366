// The page's transfer size, gzip -9 of every file a first visit fetches, stays within budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { DIST } from "./harness.mjs";

// 500 KB = 500 000 bytes, as tests/budget.rs counts it.
const BUDGET = 500_000;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

test("dist/ gzips to at most 500 KB", () => {
  let total = 0;
  for (const file of files(DIST)) {
    const size = gzipSync(readFileSync(file), { level: 9 }).length;
    total += size;
    console.log(`${String(size).padStart(8)}  ${relative(DIST, file)}`);
  }
  console.log(`${String(total).padStart(8)}  total (gzip -9)`);
  assert.ok(total <= BUDGET, `${total} bytes`);
});
