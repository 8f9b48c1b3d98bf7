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

  /* A table or chart wider than its box scrolls inside it: such a box takes the keyboard focus (arrow
     keys scroll it) and is named after its caption, chart title or the section's heading (WCAG 2.1.1). */
  function nameOf(box) {
    var caption = box.querySelector("caption, svg > title");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = box.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function markScrollable() {
    document.querySelectorAll(".table-responsive, .chart-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", nameOf(box));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
})();
