/* pufa: this month, by the reader's date. The home page carries every theme from the build's
   month on, each with data-month="YYYY-MM"; the build marked this month's and next month's
   (what readers without script see). Here they are picked again with the reader's date in
   Beijing time, so a page built on 28 November shows December's theme in December.
   The rule is pufa.kinds.month.this_and_next's: keep the two alike. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  /* China keeps no daylight saving time: Beijing is UTC+8 all year. */
  function monthKey(now) {
    var beijing = new Date(now.getTime() + 8 * 3600 * 1000);
    return beijing.getUTCFullYear() + "-" + pad(beijing.getUTCMonth() + 1);
  }
  function followingKey(key) {
    var year = parseInt(key.slice(0, 4), 10), month = parseInt(key.slice(5, 7), 10);
    return month === 12 ? (year + 1) + "-01" : year + "-" + pad(month + 1);
  }
  function choose(holders, key) {
    var current = null, upcoming = null, after = followingKey(key);
    holders.forEach(function (holder) { if (holder.getAttribute("data-month") <= key) { current = holder; } });
    if (!current) { current = holders[0]; }
    holders.forEach(function (holder) {
      if (holder.getAttribute("data-month") === after && holder !== current) { upcoming = holder; }
    });
    return { "this": current, next: upcoming };
  }
  /* "pick" (home): only this month's and next month's themes show; "mark" (/months/): all show,
     this month's is marked. Inside each, [data-pufa-when] parts show for their role only. */
  function apply(list) {
    var holders = Array.prototype.slice.call(list.querySelectorAll("[data-month]"));
    if (!holders.length) { return; }
    var chosen = choose(holders, monthKey(new Date())), pick = list.getAttribute("data-pufa-months") === "pick";
    holders.forEach(function (holder) {
      var role = holder === chosen["this"] ? "this" : holder === chosen.next ? "next" : "";
      if (pick) { holder.hidden = !role; }
      holder.classList.toggle("pufa-card--current", !pick && role === "this");
      holder.querySelectorAll("[data-pufa-when]").forEach(function (part) {
        part.hidden = part.getAttribute("data-pufa-when") !== role;
      });
    });
  }
  function run() { document.querySelectorAll("[data-pufa-months]").forEach(apply); }
  /* With Material's instant navigation a page arrives without a new load: document$ announces each. */
  if (window.document$ && typeof window.document$.subscribe === "function") { window.document$.subscribe(run); } else { ready(run); }
})();
