// The situation maps: the shipped base layer (state borders, oblasts), one or two
// snapshots asked again at each zoom and move (simplified for the zoom and cut to the
// view by the API), and, on the change page, the ground gained and lost, read once.
// No tile layer: nothing is loaded from outside this server.
(function () {
  "use strict";
  var el = document.getElementById("situation-map");
  if (!el || typeof L === "undefined") { return; }
  var status = document.getElementById("map-status");
  var map = L.map(el, { zoomControl: true, attributionControl: false, keyboard: true })
    .setView([48.5, 35.5], 6);
  window.situationMap = map; // lets the browser tests move the view
  map.createPane("base");
  map.getPane("base").style.zIndex = 350;
  map.createPane("change");
  map.getPane("change").style.zIndex = 420;
  var snapshots = (el.dataset.snapshots || "").split(" ").filter(Boolean);
  var labels = (el.dataset.labels || "").split("|");
  var drawn = snapshots.map(function () { return null; });
  var generation = 0;
  var fitted = false;
  if (el.dataset.change) { el.classList.add("with-change"); }

  function say(text) { if (status) { status.textContent = text; } }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("the server answered " + r.status); }
      return r.json();
    });
  }

  function bbox() {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
            clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map(function (v) {
      return v.toFixed(4);
    }).join(",");
  }

  function km2(value) { return Math.round(value).toLocaleString("en-GB") + " km²"; }

  // --- the snapshots, at the zoom and in the view ------------------------------------
  function loadSnapshots() {
    var mine = ++generation;
    var zoom = map.getZoom();
    var asks = snapshots.map(function (url, i) {
      var ask = url + "?zoom=" + zoom + (fitted ? "&bbox=" + bbox() : "");
      return getJSON(ask).then(function (feature) {
        if (mine !== generation) { return null; }
        if (drawn[i]) { map.removeLayer(drawn[i]); }
        drawn[i] = L.geoJSON(feature, { className: "snapshot-" + i, interactive: true }).addTo(map);
        var p = feature.properties || {};
        drawn[i].bindTooltip((labels[i] || p.source || "") + ": " + p.layer + ", " + km2(p.area_km2 || 0) +
          (p.marking ? " · " + p.marking : ""), { sticky: true });
        if (!fitted && feature.geometry && drawn[i].getBounds().isValid()) {
          fitted = true;
          map.fitBounds(drawn[i].getBounds(), { padding: [12, 12] });
        }
        return p;
      });
    });
    Promise.all(asks).then(function (found) {
      if (mine !== generation) { return; }
      say("Drawn at zoom " + zoom + ": " + found.filter(Boolean).map(function (p) {
        return (p.source || "") + " " + (p.date || "") + " (" + km2(p.area_km2 || 0) + ")";
      }).join("; ") + ".");
    }).catch(function (err) { say("The map could not load: " + err.message); });
  }

  // --- the ground gained and lost ------------------------------------------------------
  function loadChange() {
    if (!el.dataset.change) { return; }
    getJSON(el.dataset.change).then(function (change) {
      var bounds = null;
      [["gained", change.gained], ["lost", change.lost]].forEach(function (pair) {
        if (!pair[1]) { return; }
        var layer = L.geoJSON(pair[1], { pane: "change", className: "change-" + pair[0] }).addTo(map);
        layer.bindTooltip(pair[0] + ": " + km2(change[pair[0] + "_km2"] || 0), { sticky: true });
        var own = layer.getBounds();
        if (own.isValid()) { bounds = bounds ? bounds.extend(own) : own; }
      });
      // Open on what changed, not on the whole front.
      if (bounds) {
        fitted = true;
        map.fitBounds(bounds.pad(0.3), { maxZoom: 10 });
      }
    }).catch(function (err) { say("The change could not load: " + err.message); });
  }

  // --- base layer ------------------------------------------------------------------------
  function shapes(url, options) {
    return fetch(url).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { return data ? L.geoJSON(data, options).addTo(map) : null; })
      .catch(function () { return null; });
  }
  shapes("/ceasefire/outlines.geojson", { pane: "base", className: "outline", interactive: false });
  function regionDetail(zoom) {
    if (zoom <= 7) { return "low"; }
    return zoom <= 9 ? "medium" : "high";
  }
  var regionLayer = null, regionAsked = null;
  function drawRegions() {
    var detail = regionDetail(map.getZoom());
    if (detail === regionAsked) { return; }
    regionAsked = detail;
    shapes("/ceasefire/regions.geojson?detail=" + detail, {
      pane: "base",
      className: "region-outline",
      onEachFeature: function (feature, shape) { shape.bindTooltip(feature.properties.name, { sticky: true }); }
    }).then(function (layer) {
      if (!layer) { return; }
      if (detail !== regionAsked) { map.removeLayer(layer); return; }
      if (regionLayer) { map.removeLayer(regionLayer); }
      regionLayer = layer;
    });
  }

  drawRegions();
  map.on("zoomend", drawRegions);
  map.on("moveend", loadSnapshots);
  loadSnapshots();
  loadChange();
})();
