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
  // A failed submit: move the focus to the error summary (role="alert"), whose links lead to the fields.
  else {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  // Disclosures (<details>): their button tells its state also to assistive technology that does not read it
  // from <summary>.
  document.querySelectorAll("details[data-site-menu], details[data-open-wide], details.facet-group").forEach(function (details) {
    var summary = details.querySelector("summary");
    var tell = function () { summary.setAttribute("aria-expanded", details.open ? "true" : "false"); };
    tell();
    details.addEventListener("toggle", tell);
  });
  // The header menu (<details data-site-menu>) works without this: Escape closes it and returns to its button.
  document.querySelectorAll("details[data-site-menu]").forEach(function (menu) {
    var toggle = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && getComputedStyle(toggle).display !== "none") {
        menu.open = false;
        toggle.focus();
      }
    });
  });
  // Disclosures shown open on wide screens (<details data-open-wide>: the menu, the registry's filters). CSS does
  // it with ::details-content; older browsers get the <details> opened here (and its button hidden).
  if (!(window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) {
    var wide = window.matchMedia("(min-width: 992px)");
    var follow = function () {
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
        details.classList.toggle("is-static", wide.matches);
        if (wide.matches) { details.open = true; }
      });
    };
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", follow); }
  }
  // Auto-submit facet forms when a checkbox or select changes (a submit button remains).
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });
  // Pickers (<input data-suggest-url list="…">): suggestions in a <datalist> while typing. Without this,
  // the field takes a name, postcode or AGS and the form resolves it.
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      list = document.createElement("datalist");
      list.id = input.getAttribute("list");
      input.after(list);
    }
    var timer = null;
    var last = "";
    // data-suggest-multiple: several entries separated by semicolons; the last one is completed.
    var multiple = input.hasAttribute("data-suggest-multiple");
    input.addEventListener("input", function () {
      var cut = multiple ? input.value.lastIndexOf(";") + 1 : 0;
      var prefix = cut ? input.value.slice(0, cut) + " " : "";
      var query = input.value.slice(cut).trim();
      if (query.length < 2 || query === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = query;
        var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (item) {
              var option = document.createElement("option");
              option.value = prefix + item.value;
              option.label = item.label;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience; typing still works */ });
      }, 200);
    });
  });
})();
