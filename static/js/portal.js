// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Print buttons: <button type="button" data-print>…</button> (hidden until JS runs).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // A refused save (edit conflict): move the focus to the explanation, so it is read first.
  var conflict = document.getElementById("conflict");
  if (conflict) { conflict.focus(); }
  // Auto-submit facet forms when a checkbox or select changes (a submit button remains).
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });
})();
