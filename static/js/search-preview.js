// "Search and social": a search-result preview of the article and length hints, as the
// SEO title and meta description are typed. Blank fields fall back as pages do: the
// headline and the summary.
(function () {
  "use strict";
  var TITLE_MAX = 60;
  var DESCRIPTION_MAX = 160;

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
  }

  function setUp(fieldset) {
    var form = fieldset.closest("form");
    var get = function (name) { return form.elements[name] ? form.elements[name].value.trim() : ""; };
    var labels = fieldset.dataset;
    var preview = document.createElement("div");
    preview.className = "search-preview";
    preview.setAttribute("aria-label", labels.previewLabel || "Search result preview");
    preview.innerHTML =
      '<p class="search-preview__url"></p><p class="search-preview__title" dir="auto"></p>' +
      '<p class="search-preview__description" dir="auto"></p>';
    fieldset.querySelector("h2").insertAdjacentElement("afterend", preview);

    function hint(name, max) {
      var field = form.elements[name];
      if (!field) return;
      var note = field.parentNode.querySelector(".length-hint");
      if (!note) {
        note = document.createElement("span");
        note.className = "length-hint";
        note.setAttribute("aria-live", "polite");
        field.insertAdjacentElement("afterend", note);
      }
      var length = field.value.trim().length;
      note.textContent = length + " / " + max;
      note.classList.toggle("length-hint--over", length > max);
    }

    function update() {
      var title = get("seo_title") || get("title");
      var description = get("meta_description") || get("summary");
      var slug = get("slug") || "…";
      var base = fieldset.dataset.siteUrl || location.origin;
      var prefix = get("language") === "fa" ? "/fa/news/" : "/news/";
      preview.querySelector(".search-preview__url").textContent = base + prefix + slug + "/";
      preview.querySelector(".search-preview__title").textContent = shorten(title, TITLE_MAX);
      preview.querySelector(".search-preview__description").textContent = shorten(description, DESCRIPTION_MAX);
      var hidden = form.elements.noindex && form.elements.noindex.checked;
      preview.classList.toggle("search-preview--hidden", Boolean(hidden));
      hint("seo_title", TITLE_MAX);
      hint("meta_description", DESCRIPTION_MAX);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.search-and-social").forEach(setUp);
  });
})();
