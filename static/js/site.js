/* rcpdb's one script (no inline script: the Content-Security-Policy stays strict). The filters of a list
   page are a <details> open in the HTML, so that they work without JavaScript; on a narrow screen they
   fold above the results (a summary with the number of active filters) unless the page is an error
   page that asks to correct them. From the large breakpoint up they always stay open. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 992px)");
  function arrange() {
    document.querySelectorAll("details.filter-disclosure").forEach(function (details) {
      if (wide.matches) {
        details.open = true;
      } else if (!details.hasAttribute("data-keep-open")) {
        details.open = false;
      }
    });
  }
  arrange();
  if (wide.addEventListener) {
    wide.addEventListener("change", arrange);
  }
  document.querySelectorAll("details.filter-disclosure > summary").forEach(function (summary) {
    summary.addEventListener("click", function (event) {
      if (wide.matches) {
        event.preventDefault(); /* beside the results the filters never fold */
      }
    });
  });
})();
