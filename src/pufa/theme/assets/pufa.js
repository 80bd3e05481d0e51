/* pufa: transcript seek (a click on a cue's time plays the episode from there;
   without JavaScript the time stays a plain anchor link) and reading aids. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var audio = document.getElementById("pufa-audio");
    if (!audio) { return; }
    var cues = Array.prototype.slice.call(document.querySelectorAll(".pufa-cue[data-start]"));
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.pufa-cue__time");
      if (!link) { return; }
      var holder = link.hasAttribute("data-start") ? link : link.closest("[data-start]");
      if (!holder) { return; }
      event.preventDefault();
      audio.currentTime = parseFloat(holder.getAttribute("data-start"));
      var played = audio.play();
      if (played && played.catch) { played.catch(function () {}); }
    });
    audio.addEventListener("timeupdate", function () {
      var now = audio.currentTime, active = null;
      for (var i = 0; i < cues.length; i++) {
        if (parseFloat(cues[i].getAttribute("data-start")) <= now) { active = cues[i]; } else { break; }
      }
      cues.forEach(function (cue) { cue.classList.toggle("pufa-cue--active", cue === active); });
    });
  });

  /* Reading aids: each button toggles a class on <html> and remembers it. */
  var KEY = "pufa.aids";
  function saved() { try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; } }
  ready(function () {
    var aids = saved();
    document.querySelectorAll("[data-pufa-aid]").forEach(function (button) {
      var name = button.getAttribute("data-pufa-aid");
      button.setAttribute("aria-pressed", aids[name] ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !document.documentElement.classList.contains("pufa-" + name);
        document.documentElement.classList.toggle("pufa-" + name, on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        var current = saved();
        current[name] = on;
        try { localStorage.setItem(KEY, JSON.stringify(current)); } catch (e) { /* private mode: this page only */ }
      });
    });
  });
})();
