// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("click", function (event) {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Running totals on the score sheet while the member picks options (the server's totals replace them on save).
document.addEventListener("change", function (event) {
  const form = event.target.closest("form.score-sheet");
  if (!form) return;
  const parts = {};
  let total = 0;
  form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
    const points = Number(input.dataset.points || 0);
    parts[input.dataset.part] = (parts[input.dataset.part] || 0) + points;
    total += points;
  });
  form.querySelectorAll("[data-part-total]").forEach(function (el) {
    el.textContent = parts[el.dataset.partTotal] || 0;
  });
  const totalEl = form.querySelector("[data-total]");
  if (totalEl) totalEl.textContent = total;
});

// The menu is a <details> that CSS keeps open on wide screens (::details-content); where a browser lacks that, open
// it on wide screens here, so only a phone folds it behind its button.
(function () {
  const menu = document.getElementById("menu");
  if (!menu || (window.CSS && CSS.supports("selector(::details-content)"))) return;
  const wide = window.matchMedia("(min-width: 641px)");
  const sync = function () { menu.open = wide.matches; };
  sync();
  wide.addEventListener("change", sync);
})();

// A secret shown once (a new API token, a webhook's signing secret): a field selects itself for copying, and a Copy
// button, shown where the browser may write the clipboard, copies the field's value (or the element's text).
document.querySelectorAll("[data-copy]").forEach(function (button) {
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  if ("select" in field) field.addEventListener("focus", function () { field.select(); });
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText("value" in field ? field.value : field.textContent).then(function () {
      button.textContent = button.dataset.copied;
    });
  });
});
