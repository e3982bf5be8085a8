// The inspection checklist on a phone: a check's finding fields show once it is marked "not in order" (without
// JavaScript they are always shown), and after a refusal the page opens at the first refused field, not at the top.
(function () {
  "use strict";
  var form = document.getElementById("checklist");
  if (!form) { return; }
  var boxes = form.querySelectorAll(".finding[data-result]");

  function sync(box) {
    var chosen = form.querySelector('input[name="' + box.dataset.result + '"]:checked');
    box.hidden = !(chosen && chosen.value === "finding") && !box.querySelector("[aria-invalid]");
  }

  boxes.forEach(sync);
  form.addEventListener("change", function (event) {
    if (event.target.type !== "radio") { return; }
    boxes.forEach(function (box) { if (box.dataset.result === event.target.name) { sync(box); } });
  });
  var first = form.querySelector("[autofocus]");
  if (first) {
    first.focus();
    first.scrollIntoView({ block: "center" });
  }
})();
