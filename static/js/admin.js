/* The portal's accessibility repairs to Django's admin (loaded by templates/admin/base_site.html).

   - Fields without a visible label of their own get one for screen readers: those in the rows of a tabular
     inline and of list editing (the column's heading), the date and time boxes of a date-time field (the
     field's label with "Datum"/"Uhrzeit") and the autocomplete boxes (the label of their select).
   - The filter hints of the two-list selects are spans with an aria-label: they become images, for which
     a name is allowed.
   Rows added later ("Add another") are repaired as they appear. */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim().replace(/:$/, "").trim() : "";
  }

  function labelled(element) {
    if (element.getAttribute("aria-label") || element.getAttribute("aria-labelledby") || element.closest("label")) {
      return true;
    }
    return Boolean(element.id && document.querySelector('label[for="' + CSS.escape(element.id) + '"]'));
  }

  function columnLabel(element) {
    const cell = element.closest("td, th");
    const table = cell && cell.closest("table");
    if (!table) {
      return "";
    }
    const name = Array.from(cell.classList).find(function (c) { return c.indexOf("field-") === 0; });
    const heading = name && table.querySelector("thead th.column-" + CSS.escape(name.slice(6)));
    return text(heading) || text(headingAtColumn(cell, table));
  }

  function headingAtColumn(cell, table) {
    // the heading above the cell, counting columns (a heading may span two)
    const row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) {
      return null;
    }
    let column = 0;
    for (let i = 0; i < cell.cellIndex; i += 1) {
      column += cell.parentElement.cells[i].colSpan;
    }
    let start = 0;
    for (const heading of row.cells) {
      if (column < start + heading.colSpan) {
        return heading;
      }
      start += heading.colSpan;
    }
    return null;
  }

  function rowLabel(element) {
    const row = element.closest(".form-row, .fieldBox, .form-multiline > div");
    return text(row && row.querySelector("label"));
  }

  function partLabel(element) {
    // "Datum: <input> <br> Zeit: <input>": the words just before the box
    let node = element.previousSibling;
    while (node && node.nodeType === Node.ELEMENT_NODE && node.tagName === "BR") {
      node = node.previousSibling;
    }
    return node && node.nodeType === Node.TEXT_NODE ? node.textContent.trim().replace(/:$/, "") : "";
  }

  function repair() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (hint) {
      hint.setAttribute("role", "img");
    });
    const fields = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]), select, textarea";
    document.querySelectorAll(fields).forEach(function (field) {
      if (labelled(field)) {
        return;
      }
      let name = columnLabel(field) || rowLabel(field);
      const part = field.closest(".datetime") ? partLabel(field) : "";
      if (part) {
        name = name ? name + " – " + part : part;
      }
      if (name) {
        field.setAttribute("aria-label", name);
      }
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      if (!container) {
        return;
      }
      const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      const name = text(label) || select.getAttribute("aria-label") || "";
      container.querySelectorAll(".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]")
        .forEach(function (box) {
          if (name && !box.getAttribute("aria-label")) {
            box.setAttribute("aria-label", name);
          }
        });
    });
  }

  window.addEventListener("load", function () {
    repair();
    new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
  });
})();
