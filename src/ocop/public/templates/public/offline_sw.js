// The QR check's service worker (scope /kiem-tra/): the page, its files and the provinces' public keys stay on the
// device, so the check works with no network once the page has been opened. Online, every request goes to the server
// first (fresh keys and statuses) and refreshes the stored copy; offline, or when the server takes too long, the
// stored copy answers. Made by ocop.public.verify.service_worker; version {{ version }}.
"use strict";
const PREFIX = "ocop-kiem-tra-";
const CACHE = PREFIX + "{{ version }}";
const PAGE = {{ page|safe }};
const ASSETS = {{ assets|safe }};
const KNOWN = new Set([PAGE].concat(ASSETS));
const PATIENCE_MS = 5000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll([PAGE].concat(ASSETS)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== CACHE; })
          .map(function (n) { return caches.delete(n); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function fromNetwork(request, key) {
  return new Promise(function (resolve, reject) {
    const timer = setTimeout(function () { reject(new Error("slow network")); }, PATIENCE_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (!response.ok) { resolve(response); return; }
      const copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
      resolve(response);
    }, function (error) { clearTimeout(timer); reject(error); });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  const key = request.mode === "navigate" ? PAGE : url.pathname;
  if (!KNOWN.has(key) || (request.mode === "navigate" && url.pathname !== PAGE)) { return; }
  event.respondWith(
    fromNetwork(request, key).catch(function () {
      return caches.match(key, { cacheName: CACHE }).then(function (stored) {
        return stored || Response.error();
      });
    })
  );
});
