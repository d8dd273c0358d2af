/* Copy-link buttons: each copies the address in its read-only field and says "Copied" in a
   live region. Without JavaScript the buttons stay hidden and the field can be selected. */
(function () {
  "use strict";

  function copyText(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-for]"), function (button) {
    var field = document.getElementById(button.dataset.copyFor);
    var status = document.getElementById(button.dataset.copyFor.replace("address-", "copied-"));
    if (!field || !status) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      copyText(field).then(function () {
        status.textContent = button.dataset.copied;
      }, function () {
        field.select();  // the person can still copy it themselves
      });
    });
  });
})();
