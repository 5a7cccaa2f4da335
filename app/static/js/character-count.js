// Askwell: live character counts for long answers. Without JavaScript the limit
// is already written under each box; this only counts as you type. It never
// blocks typing or pasting, so nothing anyone writes is cut off.
(function () {
  "use strict";
  function describe(remaining) {
    var count = Math.abs(remaining).toLocaleString("en-GB");
    var noun = Math.abs(remaining) === 1 ? "character" : "characters";
    return remaining < 0 ? "You have " + count + " " + noun + " too many" : "You have " + count + " " + noun + " remaining";
  }
  function enhance(group) {
    var limit = parseInt(group.getAttribute("data-askwell-count"), 10);
    var field = group.querySelector("textarea");
    var message = group.querySelector(".nhsuk-character-count__message");
    if (!field || !message || !limit) {
      return;
    }
    var live = document.createElement("div");
    live.className = "nhsuk-u-visually-hidden";
    live.setAttribute("aria-live", "polite");
    message.parentNode.insertBefore(live, message.nextSibling);
    var timer = null;
    function update() {
      var remaining = limit - field.value.length;
      message.textContent = describe(remaining);
      message.classList.toggle("nhsuk-error-message", remaining < 0);
      message.classList.toggle("nhsuk-hint", remaining >= 0);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { live.textContent = describe(remaining); }, 1000);
    }
    field.addEventListener("input", update);
    message.textContent = describe(limit - field.value.length);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var groups = document.querySelectorAll("[data-askwell-count]");
    for (var i = 0; i < groups.length; i += 1) {
      enhance(groups[i]);
    }
  });
})();
