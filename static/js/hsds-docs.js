// The HSDS API's documentation page: Swagger UI draws a parameter's choice (true/false) and text field
// without a label; each gets the parameter's name as its accessible name.
"use strict";
(function () {
  function label() {
    document.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      row.querySelectorAll("select:not([aria-label]), input:not([aria-label])").forEach(function (field) {
        field.setAttribute("aria-label", row.getAttribute("data-param-name"));
      });
    });
  }
  new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
})();
