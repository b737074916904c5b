// Ask before leaving an article form with edits that were not saved.
(function () {
  "use strict";
  function watch(form) {
    let dirty = false;
    let submitting = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("article_form");
    if (form) { watch(form); }
  });
})();
