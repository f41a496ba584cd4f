// Small page behaviours, no library: the navigation folds behind a menu button on narrow
// screens, and each table cell learns its column's name so narrow tables can reflow into
// labelled rows. Without this script the navigation stays open and tables scroll within
// their own box; nothing is lost.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function foldNavigation() {
    var bar = document.querySelector(".topbar");
    var nav = bar && bar.querySelector("nav");
    if (!nav) return;
    nav.id = nav.id || "main-nav";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-button";
    button.setAttribute("aria-controls", nav.id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Menu";
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    bar.insertBefore(button, nav);
  }

  function labelCells() {
    document.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      var names = Array.prototype.map.call(heads, function (th) {
        return th.textContent.replace(/[▲▼]/g, "").trim();
      });
      table.classList.add("reflow");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && names[column]) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function ready() {
    foldNavigation();
    labelCells();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
