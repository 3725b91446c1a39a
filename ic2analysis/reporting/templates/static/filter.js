// Text filter for the catalogue pages: shows the items whose text contains every word
// typed. Without script the filter stays hidden and every item is listed.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("filter");
  var shown = document.getElementById("shown");
  if (!box) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("article.item"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.kind"));
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0;
    items.forEach(function (it) {
      var text = it.getAttribute("data-search") || "";
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      it.hidden = !ok;
      if (ok) { n += 1; }
    });
    sections.forEach(function (s) {
      s.hidden = s.querySelector("article.item:not([hidden])") === null;
    });
    shown.textContent = String(n);
  }
  box.closest(".filter").hidden = false;
  box.addEventListener("input", apply);
  apply();
});
