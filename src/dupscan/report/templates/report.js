(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dupscan-data").textContent);

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim().toLowerCase() : v;
  }

  function sortTable(table, index, numeric, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (numeric) { x = parseFloat(x) || 0; y = parseFloat(y) || 0; }
      var c = x < y ? -1 : (x > y ? 1 : 0);
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.classList.add("sortable");
      th.setAttribute("tabindex", "0");
      var numeric = th.getAttribute("data-type") === "num";
      th.addEventListener("click", function () { sortTable(table, index, numeric, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, index, numeric, th); }
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var count = input.parentNode.querySelector(".count");
    function apply() {
      var q = input.value.trim().toLowerCase();
      var shown = 0, rows = table.tBodies[0].rows;
      Array.prototype.forEach.call(rows, function (row) {
        var hit = !q || row.textContent.toLowerCase().indexOf(q) !== -1;
        row.hidden = !hit;
        if (hit) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " rows"; }
    }
    input.addEventListener("input", apply);
    apply();
  });

  function openCase(anchor) {
    var el = document.getElementById(anchor);
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }
  var jump = document.getElementById("case-jump");
  if (jump) {
    data.cases.forEach(function (c) {
      var option = document.createElement("option");
      option.value = c.anchor;
      option.textContent = c.id + " (" + c.findings + " findings)";
      jump.appendChild(option);
    });
    jump.addEventListener("change", function () { if (jump.value) { openCase(jump.value); } });
  }
  Array.prototype.forEach.call(document.querySelectorAll("a[data-case]"), function (a) {
    a.addEventListener("click", function () { openCase(a.getAttribute("data-case")); });
  });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
}());
