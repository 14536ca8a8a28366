// Trunk post-build hook. Removes the build-only <link data-trunk rel="rust"> trunk leaves in
// index.html when it injects no loader script, then writes the app shell list and a content hash
// into sw.js, so every build that changes any file gets a new cache and the old one is dropped.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dist = process.env.TRUNK_STAGING_DIR;
if (!dist) throw new Error("TRUNK_STAGING_DIR is not set: run this from trunk's post_build hook");

const indexPath = join(dist, "index.html");
writeFileSync(indexPath, readFileSync(indexPath, "utf8").replace(/^\s*<link data-trunk rel="rust"[^>]*>\n/m, ""));

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

const files = walk(dist)
  .map((path) => relative(dist, path).split(sep).join("/"))
  .filter((path) => path !== "sw.js")
  .sort();
const hash = createHash("sha256");
for (const file of files) hash.update(file).update("\0").update(readFileSync(join(dist, file)));
const version = hash.digest("hex").slice(0, 16);
// The folder itself stands for index.html (what a static host serves for "./"). Each entry
// carries its SHA-256, so the service worker can take the page's own copy of a file.
const digest = (file) => createHash("sha256").update(readFileSync(join(dist, file))).digest("hex");
const shell = files.map((file) => [file === "index.html" ? "./" : file, digest(file)]);
const swPath = join(dist, "sw.js");
const sw = readFileSync(swPath, "utf8")
  .replace("__VERSION__", version)
  .replace('"__SHELL__"', shell.map((entry) => JSON.stringify(entry)).join(", "));
writeFileSync(swPath, sw);
console.log(`sw.js: version ${version}, ${shell.length} files`);
