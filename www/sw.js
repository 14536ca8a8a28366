// Keeps the app shell of this build so the page works offline after one visit. The build stamps
// VERSION (a hash of every file) and SHELL (each path, relative to this file's folder; the wasm's
// with the SHA-256 of its bytes).
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const CACHE = `bounce-doctor-${VERSION}`;
// The page leaves its copy of the wasm here (app/engine.js): taken when its hash is this
// build's, so the first visit downloads the module once.
const HANDOFF = "bounce-doctor-handoff";

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function fromHandoff(url, hash) {
  const copy = await (await caches.open(HANDOFF)).match(url);
  if (!copy) return null;
  const body = await copy.arrayBuffer();
  return (await sha256(body)) === hash ? new Response(body, { headers: copy.headers }) : null;
}

async function install() {
  const cache = await caches.open(CACHE);
  await Promise.all(SHELL.map(async ([path, hash]) => {
    const url = new URL(path, self.registration.scope);
    const response = (hash && (await fromHandoff(url, hash).catch(() => null))) || (await fetch(url));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    await cache.put(url, response);
  }));
  await caches.delete(HANDOFF);
}

self.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("bounce-doctor-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      try {
        return await fetch(request);
      } catch (error) {
        // Offline and not in the shell: a navigation still gets the page.
        if (request.mode === "navigate") return (await cache.match(new URL("./", self.registration.scope))) ?? Response.error();
        throw error;
      }
    }),
  );
});
