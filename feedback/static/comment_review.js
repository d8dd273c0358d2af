/* Keyboard shortcuts for reviewing comments (the page works without them):
   j / k move to the next or previous comment, x ticks the one you are on, and a / h show
   or hide the ticked comments (or the one you are on, if none is ticked). After a decision
   the list opens at the first comment decided, so the reviewer keeps their place. */
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) return;
  var comments = Array.prototype.slice.call(document.querySelectorAll("[data-comment]"));
  if (!comments.length) return;
  var current = -1;

  function moveTo(index) {
    if (index < 0 || index >= comments.length) return;
    if (current >= 0) comments[current].classList.remove("comment-current");
    current = index;
    comments[current].classList.add("comment-current");
    comments[current].focus();
  }

  function tickOf(comment) {
    return comment.querySelector("input[name=comment]");
  }

  function decide(decision) {
    var ticked = form.querySelectorAll("input[name=comment]:checked");
    if (!ticked.length && current >= 0) tickOf(comments[current]).checked = true;
    if (!form.querySelectorAll("input[name=comment]:checked").length) return;
    var button = form.querySelector('button[name=decision][value="' + decision + '"]');
    if (button) button.click();
  }

  comments.forEach(function (comment, index) {
    comment.addEventListener("focusin", function () {
      if (current !== index) {
        if (current >= 0) comments[current].classList.remove("comment-current");
        current = index;
        comment.classList.add("comment-current");
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox") return;
    if (target && target.isContentEditable) return;
    var key = event.key;
    if (key === "j") moveTo(current + 1);
    else if (key === "k") moveTo(current < 0 ? 0 : current - 1);
    else if (key === "x" && current >= 0) tickOf(comments[current]).checked = !tickOf(comments[current]).checked;
    else if (key === "a") decide("show");
    else if (key === "h") decide("hide");
    else return;
    event.preventDefault();
  });

  // Back where the reviewer was: the comment the address names, after a decision.
  var start = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  var found = comments.indexOf(start);
  if (found >= 0) moveTo(found);
})();
