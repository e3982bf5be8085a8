// The public outlet map: Leaflet over our own provinces outline (no tile server, no request outside this site), or,
// when the installation sets a tile server (OCOP_MAP_TILES_URL, data-tiles), its tiles beneath the outline with their
// attribution; the outlets as clustered pins, labelled with their name and address at street zoom, and the list
// beside the map linked to them.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var tiles = el.dataset.tiles;
  // Without tiles the outline has nothing finer to show past 18; with them, as deep as the tile server draws.
  var maxZoom = tiles ? Number(el.dataset.maxZoom) : 18;
  var STREET = 14;  // from this zoom on, each pin carries its name and address
  var map = L.map(el, { minZoom: 4, maxZoom: maxZoom, zoomSnap: 0.5, attributionControl: !!tiles, preferCanvas: true });
  if (tiles) {
    // Tile servers ask for a Referer (OpenStreetMap's policy does): the site's origin only, never the page's address
    // (the site's own policy, same-origin, would send none).
    L.tileLayer(tiles, { maxZoom: maxZoom, attribution: el.dataset.attribution, referrerPolicy: "strict-origin-when-cross-origin" })
      .addTo(map);
    el.classList.add("map-tiled");
  }
  L.control.scale({ imperial: false }).addTo(map);
  map.setView([21.03, 105.85], 9);
  el.leafletMap = map;  // the browser tests read positions on screen through it
  function street() { el.classList.toggle("map-street", map.getZoom() >= STREET); }
  map.on("zoomend", street);
  street();
  var byId = {};
  var kinds = JSON.parse(el.dataset.kinds || "{}");

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function pageOf(p) {
    return el.dataset.outletPage.replace("CODE", encodeURIComponent(p.code));
  }

  function popup(p) {
    var box = document.createElement("div");
    var link = text("a", p.name);
    link.href = pageOf(p);
    box.appendChild(link);
    box.appendChild(text("div", kinds[p.kind] || "", "muted"));
    box.appendChild(text("div", p.address));
    if (p.tel) {
      var call = text("a", p.phone, "tel");
      call.href = p.tel;  // tap to call (normalised by ocop.core.phones.tel_uri)
      var line = document.createElement("div");
      line.appendChild(call);
      box.appendChild(line);
    }
    if (p.hours) { box.appendChild(text("div", p.hours + " · " + (p.open ? el.dataset.open : el.dataset.closed), p.open ? "success" : "")); }
    if (p.approximate) { box.appendChild(text("div", el.dataset.approximate, "muted")); }
    var more = text("a", el.dataset.details);
    more.href = pageOf(p);
    box.appendChild(more);
    return box;
  }

  // Over tiles, the outline is drawn as lines only, so the tiles show through.
  var outline = tiles ? { color: "#2f6b47", weight: 1.5, fill: false }
    : { color: "#6b8f78", weight: 1, fillColor: "#e4efe8", fillOpacity: 1 };
  fetch(el.dataset.provinces).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, {
      interactive: false,
      style: function () { return outline; },
      onEachFeature: function (feature) {
        // Each archipelago's label sits on its own centre ([longitude, latitude] in the outline's data).
        (feature.properties.archipelagos || []).forEach(function (a) {
          L.tooltip({ permanent: true, direction: "center", className: "archipelago" })
            .setLatLng([a.at[1], a.at[0]]).setContent(a.name).addTo(map);
        });
      }
    }).addTo(map).bringToBack();
    el.dataset.outline = String(data.features.length);
  });

  function label(p) {
    var box = document.createElement("span");
    box.appendChild(text("strong", p.name));
    if (p.address) { box.appendChild(document.createElement("br")); box.appendChild(text("span", p.address)); }
    return box;
  }

  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var cluster = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      // The map is ready when the last chunk of markers is placed (the page stays responsive meanwhile).
      chunkProgress: function (done, total) { if (done === total) { el.dataset.ready = String(total); } }
    });
    var markers = [];
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var icon = L.divIcon({ className: "pin pin-" + f.properties.kind, iconSize: [18, 18] });
      var m = L.marker([c[1], c[0]], { icon: icon, title: f.properties.name, keyboard: true });
      m.bindPopup(function () { return popup(f.properties); });
      // Shown from street zoom on (the map-street class): the pin's name and address, with or without tiles.
      m.bindTooltip(label(f.properties), { permanent: true, direction: "top", offset: [0, -10], className: "shop-label" });
      byId[f.id] = m;
      markers.push(m);
    });
    map.addLayer(cluster);
    cluster.addLayers(markers);
    if (markers.length) { map.fitBounds(cluster.getBounds(), { maxZoom: 15, padding: [20, 20] }); }
    if (!markers.length) { el.dataset.ready = "0"; }
    document.querySelectorAll("#outlet-list li[data-id]").forEach(function (li) {
      li.addEventListener("click", function (event) {
        var m = byId[li.dataset.id];
        if (!m || event.target.closest("a")) { return; }
        // On a phone the list is below the map: bring the map back up to show the shop (site.css's media query).
        if (window.matchMedia("(max-width: 800px), (max-height: 500px)").matches) { el.scrollIntoView({ block: "start" }); }
        cluster.zoomToShowLayer(m, function () { m.openPopup(); });
      });
    });
  });
})();
