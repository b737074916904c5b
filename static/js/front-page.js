// Arranging the front page: the arrows and "Unpin" work here without a round trip,
// and rows can be dragged. Without JavaScript the same buttons post the form.
(function () {
  "use strict";

  function refresh(list) {
    var rows = list.querySelectorAll(".pin-list__row");
    rows.forEach(function (row, n) {
      row.querySelector("[data-move='up']").disabled = n === 0;
      row.querySelector("[data-move='down']").disabled = n === rows.length - 1;
    });
    var note = document.querySelector(".front-arrange__unsaved-js");
    if (note) note.hidden = false;
  }

  function setUp(list) {
    var dragged = null;
    var note = document.createElement("p");
    note.className = "errornote front-arrange__unsaved-js";
    note.setAttribute("role", "status");
    note.hidden = true;
    note.textContent = list.dataset.unsavedText || "Not saved yet.";
    list.parentNode.insertBefore(note, list);

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) return;
      event.preventDefault();
      var row = button.closest(".pin-list__row");
      var action = button.dataset.move;
      if (action === "up" && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (action === "down" && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      } else if (action === "remove") {
        row.remove();
      }
      refresh(list);
      var focus = row.isConnected ? row.querySelector("[data-move='" + action + "']") : null;
      if (focus && !focus.disabled) focus.focus();
    });
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".pin-list__row");
      if (dragged) event.dataTransfer.effectAllowed = "move";
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest(".pin-list__row");
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      refresh(list);
    });
    list.addEventListener("dragend", function () {
      dragged = null;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pin-list]").forEach(setUp);
  });
})();
