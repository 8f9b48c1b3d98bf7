// "Copy" buttons of the citation block (templates/site/_cite.html): copy the citation's text.
(function () {
  "use strict";
  function announce(section, text) {
    var status = section && section.querySelector(".cite-status");
    if (status) {
      status.textContent = text;
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var section = button.closest(".cite-this");
    if (!source) {
      return;
    }
    var text = source.textContent;
    var done = function () {
      announce(section, button.getAttribute("data-copied") || "Copied.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {
        announce(section, "");
      });
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
      done();
    }
  });
})();
