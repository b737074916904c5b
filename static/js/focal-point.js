// The picture library's focal point: click the picture to set it. Without JavaScript
// the two numbers below the picture are typed instead.
(function () {
  "use strict";

  function setUp(picker) {
    var form = picker.closest("form");
    var inputX = form.querySelector("[name='" + picker.dataset.x + "']");
    var inputY = form.querySelector("[name='" + picker.dataset.y + "']");
    var mark = picker.querySelector(".focal-picker__mark");
    if (!inputX || !inputY) return;

    function show() {
      mark.style.left = (parseFloat(inputX.value) * 100) + "%";
      mark.style.top = (parseFloat(inputY.value) * 100) + "%";
    }

    picker.querySelector("img").addEventListener("click", function (event) {
      var box = event.currentTarget.getBoundingClientRect();
      var x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      var y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      inputX.value = x.toFixed(2);
      inputY.value = y.toFixed(2);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    });
    inputX.addEventListener("input", show);
    inputY.addEventListener("input", show);
    picker.classList.add("focal-picker--ready");
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setUp);
  });
})();
