/* pufa: copy a lesson's permanent URL; on touch screens a first tap on a
   citation shows the article's text, a second follows the link. */
(function () {
  "use strict";
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
    var link = event.target.closest && event.target.closest(".pufa-cite > a");
    if (link && window.matchMedia && window.matchMedia("(hover: none)").matches) {
      var cite = link.parentNode;
      if (!cite.classList.contains("pufa-cite--open")) {
        event.preventDefault();
        document.querySelectorAll(".pufa-cite--open").forEach(function (open) { open.classList.remove("pufa-cite--open"); });
        cite.classList.add("pufa-cite--open");
      }
    }
  });
})();
