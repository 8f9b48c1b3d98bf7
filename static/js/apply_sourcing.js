// "Apply to all rows" on each inline of the Process page that has sources and "as of": copies the
// process's own sources and "as of" (the fields at the top of the form) into every row of that inline,
// new rows included. Each row can still be changed afterwards. Loaded as a file (CSP: no inline script).
(function () {
  "use strict";
  var marker = document.querySelector("[data-apply-sourcing]");
  var processSources = document.getElementById("id_sources");
  var processAsOf = document.getElementById("id_as_of");
  if (!marker || !(processSources || processAsOf)) {
    return;
  }
  var label = marker.getAttribute("data-apply-sourcing");
  var done = marker.getAttribute("data-applied");

  function rows(group) {
    return Array.prototype.filter.call(group.querySelectorAll(".form-row, .inline-related"), function (row) {
      return row.id && row.id.indexOf("__prefix__") === -1 && !row.classList.contains("empty-form");
    });
  }

  function apply(group, status) {
    var count = 0;
    rows(group).forEach(function (row) {
      var sources = row.querySelector("select[name$='-sources']");
      var asOf = row.querySelector("input[name$='-as_of']");
      if (sources && processSources) {
        Array.prototype.forEach.call(processSources.selectedOptions, function (option) {
          var existing = Array.prototype.find.call(sources.options, function (o) { return o.value === option.value; });
          if (existing) {
            existing.selected = true;
          } else {
            sources.appendChild(new Option(option.text, option.value, true, true));
          }
        });
        if (window.django && window.django.jQuery) {
          window.django.jQuery(sources).trigger("change");
        }
        sources.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (asOf && processAsOf && processAsOf.value) {
        asOf.value = processAsOf.value;
        asOf.dispatchEvent(new Event("change", { bubbles: true }));
      }
      count += 1;
    });
    status.textContent = done.replace("{count}", String(count));
  }

  document.querySelectorAll(".inline-group").forEach(function (group) {
    if (!group.querySelector("select[name$='-sources'], input[name$='-as_of']")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button apply-sourcing";
    button.textContent = label;
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "apply-sourcing-status";
    button.addEventListener("click", function () { apply(group, status); });
    var heading = group.querySelector("h2");
    var holder = document.createElement("p");
    holder.appendChild(button);
    holder.appendChild(status);
    (heading ? heading.parentNode : group).insertBefore(holder, heading ? heading.nextSibling : group.firstChild);
  });
})();
