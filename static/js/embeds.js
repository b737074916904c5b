// Embedded players load only when the reader asks: until then the page holds a link
// (all a reader without JavaScript gets) and a button, and the provider sees nothing.
(function () {
  "use strict";
  document.querySelectorAll("figure.embed[data-embed-src]").forEach(function (figure) {
    var button = figure.querySelector(".embed__load");
    var note = figure.querySelector(".embed__note");
    if (!button) return;
    button.hidden = false;
    if (note) note.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = figure.dataset.embedSrc;
      frame.title = figure.dataset.embedTitle || "";
      frame.loading = "lazy";
      frame.allowFullscreen = true;
      frame.setAttribute("allow", "encrypted-media; picture-in-picture; fullscreen");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
      frame.className = "embed__frame";
      button.replaceWith(frame);
      if (note) note.remove();
      figure.classList.add("embed--loaded");
    });
  });
})();
