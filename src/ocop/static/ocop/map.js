// The public outlet map: Leaflet with our own provinces outline as the only background (no tile server, no request
// outside this site), the outlets as clustered pins, and the list beside the map linked to them.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { minZoom: 4, maxZoom: 18, zoomSnap: 0.5, attributionControl: false, preferCanvas: true });
  map.setView([21.03, 105.85], 9);
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

  fetch(el.dataset.provinces).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, {
      interactive: false,
      style: function () { return { color: "#6b8f78", weight: 1, fillColor: "#e4efe8", fillOpacity: 1 }; },
      onEachFeature: function (feature, layer) {
        (feature.properties.archipelagos || []).forEach(function (label) {
          L.tooltip({ permanent: true, direction: "center", className: "archipelago" })
            .setLatLng(layer.getBounds().getCenter()).setContent(label).addTo(map);
        });
      }
    }).addTo(map).bringToBack();
  });

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
        cluster.zoomToShowLayer(m, function () { m.openPopup(); });
      });
    });
  });
})();
