// Keeps the app shell of this build so the page works offline after one visit. The build stamps
// VERSION (a hash of every file) and SHELL (their paths, relative to this file's folder).
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const CACHE = `bounce-doctor-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((path) => new URL(path, self.registration.scope)))).then(() => self.skipWaiting()));
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
