/* Progressive enhancement only: every page works fully without this file.
   Text shown by this script comes from data- attributes the server wrote in
   the page's own language. */
(function () {
  "use strict";
  var body = document.body;

  /* Exit this page: the button, or Shift pressed 3 times within 5 seconds,
     blanks the page at once and leaves through /exit (which deletes the answers
     and the session); location.replace keeps this page out of Back. */
  var exitButton = document.getElementById("exit-this-page");
  function leave(event) {
    if (event) event.preventDefault();
    var cover = document.createElement("div");
    cover.className = "exit-overlay";
    body.appendChild(cover);
    document.title = "\u200b";
    window.location.replace(exitButton.getAttribute("href"));
  }
  if (exitButton) {
    exitButton.addEventListener("click", leave);
    var presses = [];
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { presses = []; return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 5000; });
      presses.push(now);
      if (presses.length >= 3) leave();
    });
  }

  /* "None of these" and the like exclude the other answers: ticking one clears the rest
     (the server refuses the combination anyway, with a message). */
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked) return;
    var group = document.getElementsByName(box.name);
    Array.prototype.forEach.call(group, function (other) {
      if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  });

  /* An error summary takes focus, so keyboards and screen readers start there. */
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();

  /* A second tap on "Send" while the first is on its way does nothing. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-prevent-double-click]"), function (b) {
    b.form.addEventListener("submit", function (event) {
      if (b.dataset.sent) { event.preventDefault(); return; }
      b.dataset.sent = "1";
    });
  });

  /* Character count under long answers. It counts as the server does: characters
     (code points, so an emoji is one), without the spaces at either end. */
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-maxlength]"), function (area) {
    var max = parseInt(area.dataset.maxlength, 10);
    var status = document.createElement("p");
    status.className = "hint character-count";
    status.setAttribute("aria-live", "polite");
    status.id = area.id + "-count";
    area.insertAdjacentElement("afterend", status);
    function update() {
      var left = max - Array.from(area.value.trim()).length;
      status.textContent = (left >= 0 ? area.dataset.countLeft : area.dataset.countOver)
        .replace("%(count)s", String(Math.abs(left)));
      status.classList.toggle("error-message", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });

  /* Read aloud with the browser's own voice, only where it has one for this language. */
  var readLabel = body.dataset.readAloud;
  var lang = document.documentElement.lang;
  function voiceFor(language) {
    var voices = window.speechSynthesis.getVoices();
    var base = language.split("-")[0];
    return voices.filter(function (v) { return v.lang.split(/[-_]/)[0] === base; })[0];
  }
  function addReadAloud() {
    if (!voiceFor(lang) || document.querySelector(".read-aloud")) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-question]"), function (block) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "read-aloud link-button";
      button.textContent = readLabel;
      button.addEventListener("click", function () {
        var parts = [];
        Array.prototype.forEach.call(block.querySelectorAll(".matrix-question, .heading-l, .heading-m, .heading-s, .choice-label"), function (el) {
          parts.push(el.textContent.trim());
        });
        window.speechSynthesis.cancel();
        var utterance = new SpeechSynthesisUtterance(parts.join(". "));
        utterance.lang = lang;
        utterance.voice = voiceFor(lang);
        window.speechSynthesis.speak(utterance);
      });
      block.insertBefore(button, block.firstChild);
    });
  }
  if (readLabel && "speechSynthesis" in window) {
    addReadAloud();
    window.speechSynthesis.addEventListener("voiceschanged", addReadAloud);
  }

  /* Kiosk (a shared tablet): after a quiet spell, ask "Are you still there?",
     then go back to the start for the next person, leaving nothing behind. */
  var resetUrl = body.dataset.kioskReset;
  if (resetUrl) {
    var idleMs = parseInt(body.dataset.kioskIdle, 10) * 1000;
    var warnMs = parseInt(body.dataset.kioskWarn, 10) * 1000;
    var idleTimer, resetTimer, dialog;
    function reset() { window.location.replace(resetUrl); }
    function warn() {
      dialog = document.createElement("div");
      dialog.className = "kiosk-warning";
      dialog.setAttribute("role", "alertdialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-labelledby", "kiosk-warning-text");
      var text = document.createElement("p");
      text.id = "kiosk-warning-text";
      text.textContent = body.dataset.kioskWarning;
      var keep = document.createElement("button");
      keep.type = "button";
      keep.className = "button";
      keep.textContent = body.dataset.kioskContinue;
      keep.addEventListener("click", activity);
      dialog.appendChild(text);
      dialog.appendChild(keep);
      body.appendChild(dialog);
      keep.focus();
      resetTimer = window.setTimeout(reset, warnMs);
    }
    function activity() {
      window.clearTimeout(idleTimer);
      window.clearTimeout(resetTimer);
      if (dialog) { dialog.remove(); dialog = null; }
      idleTimer = window.setTimeout(warn, idleMs);
    }
    ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, function () { if (!dialog) activity(); }, { passive: true });
    });
    activity();
  }
})();
