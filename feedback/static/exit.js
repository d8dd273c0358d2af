/* Progressive enhancement only: the pages work fully without this file.
   Exit this page: clicking the button or pressing Shift three times within
   5 seconds blanks the page at once, then leaves through /exit (which clears
   the answers and the session) with location.replace, so Back does not return. */
(function () {
  "use strict";
  var button = document.getElementById("exit-this-page");
  if (!button) return;
  var exitUrl = button.getAttribute("href");
  function leave(event) {
    if (event) event.preventDefault();
    var cover = document.createElement("div");
    cover.className = "exit-overlay";
    document.body.appendChild(cover);
    document.title = "\u200b";
    window.location.replace(exitUrl);
  }
  button.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 5000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
  // Put focus on an error summary so screen readers and keyboards start there.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
  // A second tap on "Send" while the first is on its way does nothing.
  var sendButtons = document.querySelectorAll("[data-prevent-double-click]");
  Array.prototype.forEach.call(sendButtons, function (b) {
    b.form.addEventListener("submit", function (event) {
      if (b.dataset.sent) { event.preventDefault(); return; }
      b.dataset.sent = "1";
    });
  });
})();
