// Askwell: NHS.UK radios with conditional content. Without JavaScript the extra
// question is always shown and its label says when to answer it; with it, the
// question is shown only while a choice that needs it is selected. Hiding it never
// clears what was typed, and the server ignores it for the other choices.
(function () {
  "use strict";
  function enhance(group) {
    var target = document.getElementById(group.getAttribute("data-askwell-reveal"));
    var radios = group.querySelectorAll('input[type="radio"]');
    if (!target || !radios.length) {
      return;
    }
    function update() {
      var shown = false;
      Array.prototype.forEach.call(radios, function (radio) {
        if (radio.hasAttribute("data-askwell-reveals") && radio.checked) {
          shown = true;
        }
      });
      target.hidden = !shown;
    }
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-askwell-reveal]"), enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
