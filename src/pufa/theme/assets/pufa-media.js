/* pufa: say so when a report table scrolls sideways. The department and total
   columns stay in view (pufa-media.css); the hint names what is off-screen,
   and only when something is: on a wide screen every month fits. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".pufa-report__scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (hint && hint.classList.contains("pufa-scroll-hint")) {
        hint.hidden = box.scrollWidth <= box.clientWidth + 1;
      }
    });
  }
  if (document.readyState !== "loading") { mark(); } else { document.addEventListener("DOMContentLoaded", mark); }
  window.addEventListener("resize", mark);
})();
