/* partnernet site tables: sort by clicking a column heading, filter with the box
 * above the table. Progressive enhancement only: without this script every
 * table is complete and readable. No data is read from anywhere but the page,
 * and nothing is written with innerHTML. */
(function () {
  "use strict";

  var lang = document.documentElement.lang === "en" ? "en" : "da";
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  var counter = new Intl.NumberFormat(lang === "da" ? "da-DK" : "en-GB");

  function fold(s) {
    return String(s).normalize("NFC").toLocaleLowerCase(lang).replace(/\s+/g, " ").trim();
  }

  function cellValue(cell, numeric) {
    if (!cell) { return null; }
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent.trim(); }
    if (numeric) {
      if (v === "") { return null; }
      var n = Number(v);
      return isNaN(n) ? null : n;
    }
    return v === "" ? null : v;
  }

  function sortBy(table, index, th) {
    var numeric = th.getAttribute("data-type") === "number";
    var current = th.getAttribute("aria-sort");
    var dir;
    if (current === "ascending") { dir = "descending"; }
    else if (current === "descending") { dir = "ascending"; }
    else { dir = numeric ? "descending" : "ascending"; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (row, i) {
      return { row: row, key: cellValue(row.cells[index], numeric), i: i };
    });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === null && b.key === null) { return a.i - b.i; }
        return a.key === null ? 1 : -1; /* empty cells last, whatever the direction */
      }
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      if (dir === "descending") { c = -c; }
      return c || a.i - b.i;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.row); });
    body.appendChild(frag);
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      /* the "?" link to a heading's explanation stays beside the button (no link inside a button) */
      var help = th.querySelector("a.help");
      if (help) { th.removeChild(help); }
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var arrow = document.createElement("span");
      arrow.className = "arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      th.appendChild(button);
      if (help) { th.appendChild(help); }
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
    table.classList.add("sortable");
  }

  function makeFilterable(input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table) { return; }
    var tools = input.closest(".table-tools");
    var count = tools.querySelector(".table-count");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = null;
    function update() {
      if (texts === null) { texts = rows.map(function (r) { return fold(r.textContent); }); }
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = words.length ? counter.format(shown) + " / " + counter.format(rows.length) : "";
    }
    input.addEventListener("input", update);
    tools.hidden = false;
  }

  /* a choice that shows only one section of the page (the Suggestions page's sector filter) */
  function makeSectionFilter(form) {
    var select = form.querySelector("select");
    var count = form.querySelector(".section-count");
    var sections = Array.prototype.filter.call(select.options, function (o) { return o.value; })
      .map(function (o) { return document.getElementById(o.value); })
      .filter(Boolean);
    function update() {
      var shown = 0;
      sections.forEach(function (s) {
        var ok = !select.value || s.id === select.value;
        s.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = select.value ? counter.format(shown) + " / " + counter.format(sections.length) : "";
    }
    select.addEventListener("change", update);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("input.table-filter").forEach(makeFilterable);
  document.querySelectorAll("form.section-filter").forEach(makeSectionFilter);
  document.documentElement.classList.add("js");
}());

/* On a narrow screen the map's controls start folded, so the map comes first on a phone;
 * on a wide screen they are always open (their summary is hidden there by map.css). */
(function () {
  "use strict";
  var fold = document.querySelector(".controls-fold");
  if (!fold || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 60rem)");
  function place() { fold.open = !narrow.matches; }
  place();
  if (narrow.addEventListener) { narrow.addEventListener("change", place); }
}());
