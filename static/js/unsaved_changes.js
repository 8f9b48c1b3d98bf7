// Unsaved-changes warning on the admin's change forms (templates/admin/rcpdb/change_form.html).
// Once a field of the form has been changed, leaving the page (closing it, reloading it or following a
// link) asks first; saving the form does not. Loaded as a file: the Content-Security-Policy allows no
// inline script.
(function () {
  "use strict";
  var marker = document.querySelector("[data-unsaved-warning]");
  var form = marker && marker.closest("form");
  if (!form) {
    return;
  }
  var message = marker.getAttribute("data-unsaved-warning");
  var dirty = false;
  var submitting = false;

  function markDirty() {
    dirty = true;
  }
  form.addEventListener("input", markDirty, true);
  form.addEventListener("change", markDirty, true);
  // Inline rows added or removed, autocomplete picks (select2 changes its hidden select).
  form.addEventListener("click", function (event) {
    if (event.target.closest(".add-row a, .inline-deletelink")) {
      markDirty();
    }
  }, true);
  if (window.django && window.django.jQuery) {
    window.django.jQuery(form).on("select2:select select2:unselect", markDirty);
  }
  form.addEventListener("submit", function () {
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = message;
      return message;
    }
    return undefined;
  });

  // Links ask in words of our own (the browser's leave-page dialog may not show for a link).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || !dirty || submitting || event.defaultPrevented) {
      return;
    }
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || href.indexOf("javascript:") === 0 || link.target === "_blank") {
      return;
    }
    if (link.closest(".related-widget-wrapper, .add-row, .inline-deletelink, .calendarbox, .clockbox")) {
      return;
    }
    if (window.confirm(message)) {
      dirty = false;
    } else {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
