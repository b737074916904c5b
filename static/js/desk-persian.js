// The desk writes Persian: a new article's language follows the title's script until
// someone picks it, the body (HTML) reads in the article's direction, and a Persian desk
// shows the Solar Hijri day beside the publication date picker.
(function () {
  "use strict";
  const ARABIC_SCRIPT = /[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/g;
  const LATIN = /[A-Za-z]/g;
  const MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

  function scriptOf(text) {
    const persian = (text.match(ARABIC_SCRIPT) || []).length;
    const latin = (text.match(LATIN) || []).length;
    if (persian === latin) { return ""; }
    return persian > latin ? "fa" : "en";
  }

  function followTitle(title, language) {
    let chosen = false, suggesting = false;
    language.addEventListener("change", function () {
      if (!suggesting) { chosen = true; }
    });
    title.addEventListener("input", function () {
      const guess = scriptOf(title.value);
      if (chosen || !guess || language.value === guess) { return; }
      language.value = guess;
      suggesting = true;
      language.dispatchEvent(new Event("change", { bubbles: true }));
      suggesting = false;
    });
  }

  function persianDigits(text) {
    return String(text).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }

  function showSolarHijri(input) {
    const shown = document.createElement("span");
    shown.className = "solar-hijri-date";
    shown.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", shown);
    let last = null;
    function update() {
      if (input.value === last) { return; }
      last = input.value;
      const found = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(input.value.trim());
      const gy = found ? +found[1] : 0, gm = found ? +found[2] : 0, gd = found ? +found[3] : 0;
      const real = found && new Date(Date.UTC(gy, gm - 1, gd));
      if (!real || real.getUTCMonth() !== gm - 1 || real.getUTCDate() !== gd || !window.jalaali) {
        shown.textContent = "";
        return;
      }
      const day = window.jalaali.toJalaali(gy, gm, gd);
      shown.textContent = persianDigits(day.jd + " " + MONTHS[day.jm - 1] + " " + day.jy);
    }
    ["input", "change"].forEach(function (name) { input.addEventListener(name, update); });
    // Django's calendar sets the value without telling anyone: look now and then.
    setInterval(update, 500);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const title = document.getElementById("id_title");
    const language = document.getElementById("id_language");
    const body = document.getElementById("id_body");
    if (language && language.tagName === "SELECT") {
      if (title && /\/add\/$/.test(window.location.pathname)) { followTitle(title, language); }
      if (body) {
        const follow = function () { body.dir = language.value === "fa" ? "rtl" : "ltr"; };
        language.addEventListener("change", follow);
        follow();
      }
    }
    if (document.documentElement.lang === "fa") {
      const date = document.getElementById("id_publish_at_0");
      if (date) { showSolarHijri(date); }
    }
  });
})();
