// Adds a "Copy link" button after each field marked data-copy-link. Without JavaScript the
// field is still there to select and copy by hand; with it, one press copies the whole link
// and the status line beside it (a live region) says so.
(function () {
  "use strict";

  function copyFrom(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("input[data-copy-link]").forEach(function (field) {
    var status = document.getElementById(field.getAttribute("data-copy-link"));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small";
    button.textContent = "Copy link";
    button.addEventListener("click", function () {
      copyFrom(field).then(
        function () {
          if (status) status.textContent = "Link copied. Paste it into your message.";
        },
        function () {
          field.select();
          if (status) status.textContent = "Could not copy: the link is selected, so copy it yourself.";
        }
      );
    });
    field.insertAdjacentElement("afterend", button);
  });
})();
