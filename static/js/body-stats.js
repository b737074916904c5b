// Under the body editor: how long the story is, and how long it takes to read, as it
// is typed. Words are counted the same way in Persian and English (by spaces).
(function () {
  "use strict";
  var WORDS_PER_MINUTE = 230;

  function attach(textarea, editor) {
    var stats = document.createElement("p");
    // Under the field, aligned like its help text (the label and editor share a row).
    stats.className = "help body-stats";
    stats.setAttribute("aria-live", "polite");
    var template = textarea.closest("form").querySelector("[data-body-stats]");
    var words = template ? template.dataset.words : "{words} words · about {minutes} min to read";
    var row = textarea.closest(".flex-container") || textarea.closest(".prose-editor") || textarea;
    row.insertAdjacentElement("afterend", stats);

    function update() {
      var text = editor.getText({ blockSeparator: " " }).trim();
      var count = text ? text.split(/\s+/u).length : 0;
      var minutes = Math.max(1, Math.round(count / WORDS_PER_MINUTE));
      var lang = document.documentElement.lang || "en";
      stats.textContent = words
        .replace("{words}", count.toLocaleString(lang))
        .replace("{minutes}", minutes.toLocaleString(lang));
      stats.dataset.words = String(count);
    }
    editor.on("update", update);
    update();
  }

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") attach(event.detail.textarea, event.detail.editor);
  });
})();
