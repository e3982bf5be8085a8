// The home page's small map of the sales points: Leaflet, its clusters and the outlet map's own script (map.js) are
// loaded only when the map comes into view, so the front door stays light on a phone.
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el || !el.dataset.scripts) return;

  function load(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function start() {
    JSON.parse(el.dataset.styles).forEach(function (href) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    JSON.parse(el.dataset.scripts).reduce(function (done, src) {
      return done.then(function () { return load(src); });
    }, Promise.resolve()).catch(function () { el.hidden = true; });
  }

  if (!("IntersectionObserver" in window)) { start(); return; }
  const watch = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); start(); }
  }, { rootMargin: "200px" });
  watch.observe(el);
})();
