// An import run's page follows its progress without reloading: every second it asks the
// API how far the run has got and fills in the figures; once the run has ended it reloads
// the page once, for the final counts and the rejected rows. Without this script the page
// shows the figures as they were when it was loaded, and reloading shows the latest.
(function () {
  "use strict";
  var card = document.getElementById("progress");
  if (!card) return;
  var ended = ["done", "failed", "cancelled"];
  if (ended.indexOf(card.dataset.state) >= 0) return;
  var number = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

  function put(name, text) {
    var cell = card.querySelector('[data-field="' + name + '"]');
    if (cell) cell.textContent = text;
  }

  function show(p) {
    var bar = card.querySelector("progress");
    if (bar && p.fraction !== null) bar.value = p.fraction;
    var state = p.state.replace(/_/g, " ");
    if (p.stalled) state += " — its worker has stopped reporting";
    else if (p.cancel_requested && p.state === "running") state += " — stopping after its batch";
    put("state", state);
    put("rows", p.rows === null ? "—" : number.format(p.rows));
    put("position", number.format(p.position) + " of " + number.format(p.size) + " bytes");
    put("rate", p.rows_per_second ? number.format(p.rows_per_second) : "—");
    put("left", p.seconds_left ? "about " + number.format(p.seconds_left) + " s" : "—");
  }

  function poll() {
    fetch(card.dataset.progress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (p) {
        if (!p) return;
        show(p);
        if (ended.indexOf(p.state) >= 0) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
