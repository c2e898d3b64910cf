// The 404 page (overrides/404.html): puts the last part of the address that was not found
// ("/E11.6x5/" -> "E11.6x5") into the search box, so a mistyped code is one click from its
// search. Classic script: it also runs from the offline bundle (file://).
(function () {
  "use strict";
  var OCR = (window.OCR = window.OCR || {});

  function typed(path) {
    var parts = String(path || "").split(/[\/\\]+/).filter(Boolean);
    var last = parts.length ? parts[parts.length - 1] : "";
    try { last = decodeURIComponent(last); } catch (e) { /* keep it as it is */ }
    last = last.replace(/\.html?$/i, "");
    if (/^(404|index)$/i.test(last)) return "";
    return last.slice(0, 200);
  }

  function fill() {
    var box = document.getElementById("not-found-q");
    if (!box || box.value) return;
    box.value = typed(location.pathname);
  }

  OCR.notFound = { typed: typed, fill: fill };
  fill();
})();
