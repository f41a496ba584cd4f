// The ceasefire map: gridded counts when zoomed out, single incidents when zoomed in.
// No tile layer: nothing is loaded from outside this server.
(function () {
  "use strict";
  var el = document.getElementById("ceasefire-map");
  if (!el || typeof L === "undefined") { return; }
  var DETAIL_ZOOM = 10;
  var map = L.map(el, { zoomControl: true, attributionControl: false }).setView([48.3, 37.5], 7);
  var layer = L.layerGroup().addTo(map);
  window.ceasefireMap = map; // lets the browser tests move the view
  var status = document.getElementById("map-status");
  var form = document.getElementById("map-filters");

  function filters() {
    var params = new URLSearchParams();
    if (!form) { return params; }
    var data = new FormData(form);
    var since = data.get("since"), until = data.get("until"), type = data.get("type");
    if (since) { params.set("since", since); }
    if (until) { params.set("until", until); }
    if (type) { params.set("type", type); }
    return params;
  }

  function bbox() {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
            clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].join(",");
  }

  function load() {
    var params = filters();
    params.set("bbox", bbox());
    if (map.getZoom() >= DETAIL_ZOOM) {
      if (params.get("since")) { params.set("since", params.get("since") + "T00:00:00Z"); }
      if (params.get("until")) { params.set("until", params.get("until") + "T23:59:59Z"); }
      var data = form ? new FormData(form) : null;
      if (data && data.get("status")) { params.set("status", data.get("status")); }
      params.set("limit", "500");
      fetch(el.dataset.incidents + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (fc) {
          layer.clearLayers();
          (fc.features || []).forEach(function (f) {
            var p = f.properties;
            var c = f.geometry.coordinates;
            var m = L.circleMarker([c[1], c[0]], { radius: 7, className: "incident incident-" + p.status });
            var a = document.createElement("a");
            a.href = "/ceasefire/incidents/" + f.id;
            a.className = "incident-link";
            a.textContent = "Incident " + f.id + ": " + p.type.replace(/_/g, " ") + " (" + p.status + ", " + p.report_count + " reports)";
            m.bindPopup(a);
            m.addTo(layer);
          });
          status.textContent = (fc.features || []).length + " incidents in view";
        });
    } else {
      fetch(el.dataset.grid + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (grid) {
          layer.clearLayers();
          var peak = 1;
          (grid.cells || []).forEach(function (c) { peak = Math.max(peak, c.reports); });
          (grid.cells || []).forEach(function (c) {
            var share = c.reports / peak;
            var level = share > 0.66 ? "high" : share > 0.33 ? "mid" : "low";
            var rect = L.rectangle([[c.south, c.west], [c.north, c.east]], { className: "grid-cell grid-" + level, weight: 1 });
            rect.bindTooltip(c.reports + " reports");
            rect.addTo(layer);
          });
          status.textContent = (grid.total || 0) + " reports in view (zoom in to see single incidents)";
        });
    }
  }

  function outlines(url, options) {
    fetch(url).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (shapes) {
      if (shapes) { L.geoJSON(shapes, options).addTo(map).bringToBack(); }
    }).catch(function () { /* outlines are optional */ });
  }
  outlines("/ceasefire/outlines.geojson", { className: "outline", interactive: false });
  outlines("/ceasefire/regions.geojson", {
    className: "region-outline",
    onEachFeature: function (feature, shape) { shape.bindTooltip(feature.properties.name, { sticky: true }); }
  });

  map.on("moveend", load);
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); load(); }); }
  load();
})();
