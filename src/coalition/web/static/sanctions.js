// The sanctions pages: a gap's evidence, folded on screen, is printed whole.
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.evidence").forEach(function (d) {
      d.open = true;
    });
  });
})();
