// Autosave: every few seconds, what is typed in the article form is kept privately on
// the server (no revision, the live article untouched), so a crash or a closed tab
// loses nothing; reopening the form offers it back. Only sends when something changed.
(function () {
  "use strict";
  var FIELDS = ["title", "summary", "body", "tags", "seo_title", "meta_description", "source_url"];

  function setUp(form, marker) {
    var url = marker.dataset.autosaveUrl;
    var every = Math.max(2, parseInt(marker.dataset.autosaveSeconds, 10) || 5) * 1000;
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    var status = document.createElement("p");
    status.className = "autosave-status";
    status.setAttribute("aria-live", "polite");
    var row = form.querySelector(".submit-row:last-of-type") || form;
    row.insertAdjacentElement("beforebegin", status);

    function snapshot() {
      var data = new FormData();
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        data.append(name, field ? field.value : "");
      });
      return data;
    }
    function key(data) {
      return FIELDS.map(function (name) { return data.get(name); }).join("\u0000");
    }

    var last = key(snapshot());
    var sending = false;
    setInterval(function () {
      var data = snapshot();
      var now = key(data);
      if (now === last || sending) return;
      sending = true;
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (response.ok) {
              last = now;
              status.textContent = answer.message || marker.dataset.keptText;
              status.dataset.savedAt = answer.saved_at;
            } else {
              status.textContent = answer.error || "";
            }
          });
        })
        .catch(function () { /* offline for a moment: the next tick tries again */ })
        .finally(function () { sending = false; });
    }, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var marker = document.querySelector("[data-autosave-url]");
    if (!marker) return;
    var form = marker.closest("form");
    if (form) setUp(form, marker);
  });
})();
