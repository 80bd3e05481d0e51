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

/* Read-aloud (朗读) of a lesson, a month or an episode with the browser's own
   speech synthesis (Web Speech API) and a voice on the device: nothing leaves it. The
   button appears only when the page has such a text and the browser offers a
   Chinese voice (many phones have none until one is installed). The text is
   read one block (heading, paragraph, list item, cell) at a time, the block
   being read is marked, and a second press stops. */
(function () {
  "use strict";
  var ROOT = ".pufa-lesson, .pufa-month, .pufa-episode";
  var BLOCK = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, blockquote, figcaption, summary";
  /* Not read: the copy box, the printed QR, citation pop-ups (the link says which
     article), the teacher's answers, heading anchors, cue times, downloads, the player. */
  var SKIP = ".pufa-permalink, .pufa-print-footer, .pufa-cite__text, .pufa-teacher, .headerlink, " +
    ".pufa-cue__time, .pufa-downloads, .pufa-subscribe, .pufa-player, [aria-hidden=true], script, style";
  var synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) { return; }

  /* A Chinese voice of the device itself: Chrome also lists voices that send the
     text to a speech service (localService false), which are never used. */
  function chineseVoice() {
    var voices = synth.getVoices(), best = null;
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].localService === false) { continue; }
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" || lang === "cmn-cn" || lang === "cmn-hans-cn") { return voices[i]; }
      if (!best && (lang.indexOf("zh") === 0 || lang.indexOf("cmn") === 0)) { best = voices[i]; }
    }
    return best;
  }

  function blocks(root) {
    var out = [], current = null, walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var parent = node.parentElement;
      if (!node.data.trim() || !parent || parent.closest(SKIP)) { continue; }
      if (parent.checkVisibility && !parent.checkVisibility({ checkVisibilityCSS: true })) { continue; }
      var block = parent.closest(BLOCK) || parent;
      if (!current || current.element !== block) {
        current = { element: block, text: "" };
        out.push(current);
      }
      current.text += node.data;
    }
    return out.filter(function (b) { return b.text.trim(); });
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var button = document.querySelector("[data-pufa-read-aloud]"), root = document.querySelector(ROOT);
    if (!button || !root) { return; }
    var reading = null;

    function mark(element) {
      root.querySelectorAll(".pufa-reading").forEach(function (el) { el.classList.remove("pufa-reading"); });
      if (element) { element.classList.add("pufa-reading"); }
    }
    function stop() {
      reading = null;
      synth.cancel();
      mark(null);
      button.setAttribute("aria-pressed", "false");
    }
    function speak(queue, index, voice, token) {
      if (reading !== token) { return; }
      if (index >= queue.length) { stop(); return; }
      var utterance = new SpeechSynthesisUtterance(queue[index].text);
      utterance.lang = voice.lang || "zh-CN";
      utterance.voice = voice;
      utterance.onend = function () { speak(queue, index + 1, voice, token); };
      utterance.onerror = function () { if (reading === token) { stop(); } };
      mark(queue[index].element);
      if (queue[index].element.scrollIntoView) { queue[index].element.scrollIntoView({ block: "nearest" }); }
      synth.speak(utterance);
    }
    function offer() { button.hidden = !chineseVoice(); if (button.hidden && reading) { stop(); } }

    button.addEventListener("click", function () {
      if (reading) { stop(); return; }
      var voice = chineseVoice();
      if (!voice) { offer(); return; }
      synth.cancel();
      reading = {};
      button.setAttribute("aria-pressed", "true");
      speak(blocks(root), 0, voice, reading);
    });
    offer();
    if (synth.addEventListener) { synth.addEventListener("voiceschanged", offer); }
    window.addEventListener("pagehide", function () { if (reading) { stop(); } });
  });
})();

/* A table wider than the screen (Material wraps every table in a scroll box)
   can be scrolled from the keyboard: while it overflows, its box is a named
   region in the Tab order (axe: scrollable-region-focusable); when it fits,
   it is not, so Tab never stops on something that does nothing. */
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格，可左右滚动");
      } else if (!scrolls && box.getAttribute("aria-label") === "表格，可左右滚动") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  if (document.readyState !== "loading") { update(); } else { document.addEventListener("DOMContentLoaded", update); }
  window.addEventListener("resize", update);
  window.addEventListener("load", update);
  /* 大字 and 高对比 change the widths: pufa.js toggles the classes on <html>. */
  new MutationObserver(update).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
})();
