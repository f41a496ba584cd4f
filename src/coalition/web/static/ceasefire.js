// The ceasefire map: a light base layer shipped with Coalition (borders, oblasts, rivers,
// named places), gridded report counts when zoomed out, single incidents when zoomed in.
// No tile layer: nothing is loaded from outside this server. The filters apply at every
// zoom: the grid is asked with the same status, type and days as the incidents.
(function () {
  "use strict";
  var el = document.getElementById("ceasefire-map");
  if (!el || typeof L === "undefined") { return; }
  var DETAIL_ZOOM = 9;   // from here on, always single incidents
  var TRY_ZOOM = 8;      // here, single incidents when the view holds at most LIMIT
  var LIMIT = 500;
  var map = L.map(el, { zoomControl: true, attributionControl: false, keyboard: true })
    .setView([48.3, 37.5], 7);
  map.createPane("base");
  map.getPane("base").style.zIndex = 350;
  map.createPane("labels");
  map.getPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  var layer = L.layerGroup().addTo(map);
  window.ceasefireMap = map; // lets the browser tests move the view
  var status = document.getElementById("map-status");
  var form = document.getElementById("map-filters");
  var listLink = document.getElementById("incident-list-link");
  var generation = 0;

  // --- filters: read from the address on load, kept in it on apply ---------------------
  var FIELDS = ["since", "until", "type", "status"];

  function fromAddress() {
    if (!form) { return; }
    var given = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && given.get(name)) { input.value = given.get(name); }
    });
  }

  function chosen() {
    var params = new URLSearchParams();
    if (!form) { return params; }
    var data = new FormData(form);
    FIELDS.forEach(function (name) {
      var value = data.get(name);
      if (value) { params.set(name, value); }
    });
    return params;
  }

  function nextDay(day) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  function bbox() {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
            clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].join(",");
  }

  // --- what a popup says ---------------------------------------------------------------
  function when(at, precision) {
    var day = at.slice(0, 10);
    if (precision === "day") { return day + " (time not given)"; }
    var hour = at.slice(11, 13);
    if (precision === "hour") {
      var next = ("0" + ((parseInt(hour, 10) + 1) % 24)).slice(-2);
      return day + " " + hour + ":00–" + next + ":00 UTC";
    }
    return day + " " + at.slice(11, 16) + " UTC";
  }

  function fatalities(p) {
    var n = p.casualties;
    var text = n + (n === 1 ? " fatality" : " fatalities");
    if (p.casualties_low !== p.casualties_high) {
      text += " (sources give " + p.casualties_low + "–" + p.casualties_high + ")";
    }
    return text;
  }

  function kind(p) { return p.type.replace(/_/g, " "); }

  function popup(id, p) {
    var box = document.createElement("div");
    box.className = "incident-popup";
    var title = document.createElement("h3");
    title.textContent = kind(p).charAt(0).toUpperCase() + kind(p).slice(1);
    box.appendChild(title);
    var list = document.createElement("dl");
    [["When", when(p.first_at, p.time_precision)],
     ["Fatalities", fatalities(p)],
     ["Status", p.status],
     ["Oblast", p.region || "not placed"],
     ["Reports", String(p.report_count)],
     ["Attribution", p.assessed_attribution || p.claimed_attribution || "none given"],
     ["Marking", p.marking && p.marking.label ? p.marking.label : String(p.marking || "")]
    ].forEach(function (row) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0];
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    box.appendChild(list);
    var a = document.createElement("a");
    a.href = "/ceasefire/incidents/" + id;
    a.className = "incident-link";
    a.textContent = "Open incident " + id;
    box.appendChild(a);
    return box;
  }

  function label(id, p) {
    return "Incident " + id + ": " + kind(p) + ", " + p.status + ", " +
      when(p.first_at, p.time_precision) + ", " + fatalities(p);
  }

  // --- single incidents and the grid ------------------------------------------------------
  function drawIncidents(fc) {
    layer.clearLayers();
    (fc.features || []).forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var icon = L.divIcon({ className: "incident-marker status-" + p.status, iconSize: [14, 14] });
      var m = L.marker([c[1], c[0]], { icon: icon, keyboard: true, title: label(f.id, p) });
      m.bindPopup(popup(f.id, p));
      m.addTo(layer);
      var node = m.getElement();
      if (node) {
        node.setAttribute("role", "button");
        node.setAttribute("aria-label", label(f.id, p));
        node.classList.add("incident");
      }
    });
    var n = (fc.features || []).length;
    status.textContent = n + " incidents in view" +
      (fc.next_cursor ? " (the first " + LIMIT + ": zoom in to see the rest)" : "") +
      "; Tab reaches each, Enter opens it";
  }

  function drawGrid(grid) {
    layer.clearLayers();
    var peak = 1;
    (grid.cells || []).forEach(function (c) { peak = Math.max(peak, c.reports); });
    (grid.cells || []).forEach(function (c) {
      var share = c.reports / peak;
      var level = share > 0.66 ? "high" : share > 0.33 ? "mid" : "low";
      var rect = L.rectangle([[c.south, c.west], [c.north, c.east]],
        { className: "grid-cell grid-" + level, weight: 1 });
      rect.bindTooltip(c.reports + " reports");
      rect.addTo(layer);
    });
    legendScale(peak);
    status.textContent = (grid.total || 0) + " reports in view (zoom in to see single incidents)";
  }

  function legendScale(peak) {
    var third = Math.floor(peak * 0.33), two = Math.floor(peak * 0.66);
    var low = document.getElementById("legend-low");
    var mid = document.getElementById("legend-mid");
    var high = document.getElementById("legend-high");
    if (low) { low.textContent = "1–" + Math.max(1, third) + " reports a cell"; }
    if (mid) { mid.textContent = (third + 1) + "–" + Math.max(third + 1, two) + " reports a cell"; }
    if (high) { high.textContent = (two + 1) + "–" + peak + " reports a cell"; }
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("the server answered " + r.status); }
      return r.json();
    });
  }

  function loadGrid(params, mine) {
    params.set("bbox", bbox());
    return getJSON(el.dataset.grid + "?" + params.toString()).then(function (grid) {
      if (mine === generation) { drawGrid(grid); }
    });
  }

  function load() {
    var mine = ++generation;
    var params = chosen();
    var zoom = map.getZoom();
    var done;
    if (zoom >= TRY_ZOOM) {
      var ask = new URLSearchParams();
      if (params.get("since")) { ask.set("since", params.get("since") + "T00:00:00Z"); }
      if (params.get("until")) { ask.set("until", nextDay(params.get("until")) + "T00:00:00Z"); }
      if (params.get("type")) { ask.set("type", params.get("type")); }
      if (params.get("status")) { ask.set("status", params.get("status")); }
      ask.set("bbox", bbox());
      ask.set("limit", String(LIMIT));
      done = getJSON(el.dataset.incidents + "?" + ask.toString()).then(function (fc) {
        if (mine !== generation) { return null; }
        if (fc.next_cursor && zoom < DETAIL_ZOOM) { return loadGrid(params, mine); }
        drawIncidents(fc);
        return null;
      });
    } else {
      done = loadGrid(params, mine);
    }
    done.catch(function (err) { status.textContent = "The map could not load: " + err.message; });
  }

  // --- base layer ---------------------------------------------------------------------------
  function shapes(url, options) {
    return fetch(url).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { return data ? L.geoJSON(data, options).addTo(map) : null; })
      .catch(function () { return null; });
  }
  shapes("/ceasefire/outlines.geojson", { pane: "base", className: "outline", interactive: false });
  // Region outlines only as fine as the zoom needs: the coarse ones (about 140 kB) at the
  // opening zoom and out, finer ones as the reader zooms in.
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
      if (detail !== regionAsked) { map.removeLayer(layer); return; }  // the zoom moved on
      if (regionLayer) { map.removeLayer(regionLayer); }
      regionLayer = layer;
    });
  }
  drawRegions();
  map.on("zoomend", drawRegions);

  // Fewer names zoomed out: a place is named from the zoom its population earns.
  function minPopulation(zoom) {
    if (zoom <= 5) { return 1000000; }
    if (zoom === 6) { return 400000; }
    if (zoom === 7) { return 150000; }
    if (zoom === 8) { return 50000; }
    return 0;
  }
  var places = [];
  var placeLayer = L.layerGroup().addTo(map);
  // Places come best known first; a name that would overlap one already drawn is left out.
  function drawPlaces() {
    placeLayer.clearLayers();
    var floor = minPopulation(map.getZoom());
    var view = map.getBounds().pad(0.1);
    var taken = [];
    places.forEach(function (f) {
      var c = f.geometry.coordinates, p = f.properties;
      if (p.population < floor || !view.contains([c[1], c[0]])) { return; }
      var at = map.latLngToContainerPoint([c[1], c[0]]);
      var width = 8 + 7 * p.name.length;
      var clash = taken.some(function (t) {
        return at.x < t.x + t.w && t.x < at.x + width && Math.abs(at.y - t.y) < 16;
      });
      if (clash) { return; }
      taken.push({ x: at.x, y: at.y, w: width });
      var dot = L.circleMarker([c[1], c[0]], {
        pane: "labels", radius: p.population >= 500000 ? 4 : 3, className: "place", interactive: false
      });
      dot.bindTooltip(p.name, {
        permanent: true, direction: "right", offset: [4, 0], interactive: false, pane: "labels",
        className: "place-label" + (p.population >= 500000 ? " large" : "")
      });
      dot.addTo(placeLayer);
    });
  }
  fetch(el.dataset.basemap).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
    if (!data) { return; }
    var water = { type: "FeatureCollection", features: [] };
    data.features.forEach(function (f) {
      if (f.properties.kind === "place") { places.push(f); } else { water.features.push(f); }
    });
    L.geoJSON(water, {
      pane: "base",
      interactive: false,
      style: function (f) { return { className: f.properties.kind === "lake" ? "lake" : "river" }; }
    }).addTo(map);
    drawPlaces();
  }).catch(function () { /* the base layer is optional: incidents still show */ });

  // --- line of contact, from the situation's latest held snapshot ---------------------------
  var lineLayer = null, lineGeneration = 0;
  var lineNote = document.getElementById("legend-line");
  function drawLine() {
    if (!el.dataset.line) { return; }
    var params = new URLSearchParams();
    params.set("zoom", map.getZoom());
    params.set("bbox", bbox());
    var until = chosen().get("until");
    if (until) { params.set("date", until); }
    var mine = ++lineGeneration;
    fetch(el.dataset.line + "?" + params.toString())
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (mine !== lineGeneration) { return; }  // the view moved on
        if (lineLayer) { map.removeLayer(lineLayer); lineLayer = null; }
        if (!data) {
          if (lineNote) { lineNote.textContent = "none: no territory snapshot you may see"; }
          return;
        }
        lineLayer = L.geoJSON(data, { interactive: false, style: { className: "front-line" } }).addTo(map);
        var p = data.properties;
        if (lineNote) {
          // The line is fetched after the page, so it says its own marking.
          lineNote.textContent = p.source + ", " + p.date + (p.illustrative ? " (illustrative)" : "") +
            " · " + p.marking;
        }
      })
      .catch(function () { /* optional: the incidents still show */ });
  }

  // --- wiring ---------------------------------------------------------------------------------
  function keepInAddress() {
    var params = chosen();
    var query = params.toString();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "/ceasefire/map" + (query ? "?" + query : ""));
    }
    if (listLink) { listLink.href = "/ceasefire/incidents" + (query ? "?" + query : ""); }
  }

  map.on("popupopen", function (e) {
    var link = e.popup.getElement() && e.popup.getElement().querySelector("a.incident-link");
    if (link) { link.focus(); }
  });
  map.on("moveend", function () { load(); drawPlaces(); drawLine(); });
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault(); keepInAddress(); load(); drawLine();
    });
  }
  fromAddress();
  keepInAddress();
  load();
  drawLine();
})();
