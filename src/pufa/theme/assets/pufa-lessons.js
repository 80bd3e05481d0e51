/* pufa: copy a lesson's permanent URL, and the citation pop-ups.

   A citation shows its article's text on hover and keyboard focus (CSS); on a
   touch screen the first tap shows it and a second follows the link. Esc, or a
   tap or click anywhere else, closes it while keyboard focus stays where it was;
   coming back to the citation (pointer or focus) opens it again. On wide
   screens a pop-up that would run off the right edge is moved left. */
(function () {
  "use strict";
  var OPEN = "pufa-cite--open", CLOSED = "pufa-cite--closed", MARGIN = 8;

  function touchOnly() { return window.matchMedia && window.matchMedia("(hover: none)").matches; }

  function place(cite) {
    var text = cite.querySelector(".pufa-cite__text");
    if (!text) { return; }
    text.style.left = "";
    if (getComputedStyle(text).position !== "absolute") { return; } /* the phone's bottom sheet */
    var box = text.getBoundingClientRect(), room = document.documentElement.clientWidth - MARGIN;
    if (box.right > room) {
      var shift = Math.min(box.right - room, box.left - MARGIN);
      if (shift > 0) { text.style.left = -shift + "px"; }
    }
  }

  function show(cite) {
    cite.classList.remove(CLOSED);
    window.requestAnimationFrame(function () { place(cite); });
  }

  function closeAll(except) {
    document.querySelectorAll(".pufa-cite").forEach(function (cite) {
      if (cite === except) { return; }
      if (cite.classList.contains(OPEN) || cite.matches(":hover") || cite.matches(":focus-within")) {
        cite.classList.remove(OPEN);
        cite.classList.add(CLOSED);
      }
    });
  }

  function entered(event) {
    var cite = event.target.closest && event.target.closest(".pufa-cite");
    if (cite && !(event.relatedTarget && cite.contains(event.relatedTarget))) { show(cite); }
  }
  document.addEventListener("mouseover", entered);
  document.addEventListener("focusin", entered);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { closeAll(null); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".pufa-copy");
    if (button) {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      var status = button.parentNode.querySelector(".pufa-copy__status");
      var done = function () { if (status) { status.textContent = "已复制"; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else {
        input.select();
        try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected for manual copy */ }
      }
      return;
    }
    var cite = event.target.closest && event.target.closest(".pufa-cite");
    closeAll(cite);
    var link = event.target.closest && event.target.closest(".pufa-cite > a");
    if (link && touchOnly() && !cite.classList.contains(OPEN)) {
      event.preventDefault();
      cite.classList.add(OPEN);
      show(cite);
    }
  });
})();
