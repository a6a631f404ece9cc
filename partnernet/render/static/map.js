/* partnernet map page: reads the JSON data block, draws it with vis-network and
 * wires search, filters, the side panel, reset, physics and PNG download, and
 * the keyboard: the map is one tab stop (arrow keys pan, + and - zoom, 0 fits,
 * N/P and Enter select, Escape resets), zoom buttons, and a live region that
 * says what was selected and what the filters leave on the map.
 * "explore": colour, size, column filters, a number range and the as-of year,
 * from the column dictionary of views/map_columns.py; the selection, filters and
 * view live in the URL fragment (pushState; Back restores through popstate); the
 * PNG is the map redrawn at 2x with title, date and legend on an offscreen canvas.
 *
 * Why one long file: every section works on the same closure (the network, the
 * DataSets, the node details, the page state), and the page inlines exactly one
 * script under its CSP hash; split into files, the sections would share globals.
 * The sections are headed "---- name ----" so that they can be read (and merged)
 * one at a time.
 * Every text from the data is put into the page with textContent (never
 * innerHTML); vis-network shows string tooltips as plain text (innerText).
 *
 * Load time: the map is drawn from the "map-data" block alone (vis-network
 * data, labels, texts); the rest of the node details (what the side panel,
 * search results and filters show) is in the "map-details" template after
 * the scripts and is parsed on first use. The first complete drawing is
 * recorded as the performance mark "partnernet-drawn" (see
 * benchmarks/browser_map.py).
 *
 * Any id works, also "constructor", "__proto__" or "toString": the script
 * keeps ids in Maps and Object.create(null) sets, reads the JSON objects
 * keyed by id through own(), and hands vis-network (which keys plain objects
 * by id) every node id with a "#" in front (visId/dataId), as no name of
 * Object.prototype starts with "#". */
(function () {
  "use strict";

  function mark(name) { if (window.performance && performance.mark) { performance.mark(name); } }
  mark("partnernet-start");
  var source = document.getElementById("map-data");
  if (!source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  mark("partnernet-parsed");
  var T = data.texts || {};
  var lang = data.lang || "da";
  var locale = lang === "da" ? "da-DK" : "en-GB";
  // measures with the pages' number of decimals (the data is rounded half up to them already)
  var digits = typeof data.digits === "number" ? data.digits : 3;
  var numberFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  var countFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  // the same CLDR plural rules as the pages' (Babel): texts with a count have a key per category
  var pluralRules = new Intl.PluralRules(locale);
  function countText(key, n) {
    var t = T[key + "." + pluralRules.select(n)];
    if (t === undefined) { t = T[key + ".other"]; }
    return String(t).replace("{n}", countFormat.format(n));
  }

  /* ids as vis-network sees them, and back */
  function visId(id) { return "#" + id; }
  function dataId(vid) { return String(vid).slice(1); }
  /* a value of a JSON object keyed by ids or words from the data, never one of Object.prototype */
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined; }
  function set() { return Object.create(null); }

  var details = new Map();
  data.details.forEach(function (d) { details.set(d.id, d); });
  // node ids in the data's order: the column dictionary holds one value per node in this order
  var nodeOrder = data.details.map(function (d) { return d.id; });
  var nodeIndex = new Map();
  nodeOrder.forEach(function (id, i) { nodeIndex.set(id, i); });
  var refs = data.refs || {};
  var roles = data.roles || {};

  /* ---- the rest of the node details, parsed on first use -------------------------- */
  var complete = !data.more;
  function haveDetails() {
    if (complete) { return true; }
    var block = document.getElementById("map-details");
    if (!block || (document.readyState === "loading" && !block.nextElementSibling)) {
      // not (completely) parsed yet; without the block and with the page parsed, there is no more
      if (!block && document.readyState !== "loading") { complete = true; }
      return complete;
    }
    var more = JSON.parse(block.content ? block.content.textContent : block.textContent);
    (more.details || []).forEach(function (d) { if (details.has(d.id)) { Object.assign(details.get(d.id), d); } });
    refs = more.refs || refs;
    roles = more.roles || roles;
    takeColumns(more);
    complete = true;
    return true;
  }
  /* run fn with the complete details: now, or when the page has been parsed */
  function withDetails(fn) {
    if (haveDetails()) { fn(); return; }
    document.addEventListener("DOMContentLoaded", function () { haveDetails(); fn(); }, { once: true });
  }

  /* ---- the vis-network data: fill in what page_data leaves out ------------------------ */
  var nodeDefaults = data.node_defaults || {};
  var original = new Map();
  data.vis.nodes.forEach(function (n) {
    var c = n.color;
    if (c && typeof c === "object" && !c.highlight && nodeDefaults.highlight) {
      c.highlight = { background: c.background, border: nodeDefaults.highlight };
      c.hover = { background: c.background, border: nodeDefaults.highlight };
    }
    if (n.font && n.font.color === undefined && nodeDefaults.font) { n.font.color = nodeDefaults.font; }
    original.set(n.id, { color: n.color, font: n.font || {} });
    n.id = visId(n.id);
  });
  // most edges take their colour from the options
  var edgeOptions = (data.vis.options && data.vis.options.edges) || {};
  var defaultEdgeColor = edgeOptions.color && edgeOptions.color.color ? edgeOptions.color : undefined;
  var notes = data.notes || [];
  var originalEdge = new Map();
  data.vis.edges.forEach(function (e) {
    originalEdge.set(e.id, { color: e.color || defaultEdgeColor, width: e.width });
    // most edge tooltips are "from – to" plus the index of a shared note
    if (e.note !== undefined) {
      e.title = "\u2068" + details.get(e.from).label + "\u2069 \u2013 \u2068" + details.get(e.to).label +
        "\u2069\n" + notes[e.note];
      delete e.note;
    }
    e.from = visId(e.from);
    e.to = visId(e.to);
  });

  var container = document.getElementById("map");
  var nodes = new vis.DataSet(data.vis.nodes);
  var edges = new vis.DataSet(data.vis.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.vis.options);
  mark("partnernet-network");

  var state = { selected: null, physics: false, dimmed: false, hold: true };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function bdi(text) { return el("bdi", text); }
  function fmt(v) {
    if (typeof v !== "number") { return String(v); }
    return (Number.isInteger(v) ? countFormat : numberFormat).format(v);
  }

  /* ---- the live region: selection, filters, search ------------------------------ */
  var status = $("map-status");
  var pendingAnnouncement = null;
  function announce(text) {
    if (!status) { return; }
    // the same words twice are announced twice only if the region changes in between;
    // a newer announcement replaces one still waiting, so an older one never lands after it
    status.textContent = "";
    if (pendingAnnouncement !== null) { clearTimeout(pendingAnnouncement); }
    pendingAnnouncement = setTimeout(function () { pendingAnnouncement = null; status.textContent = text; }, 30);
  }

  /* ---- search (partial, case-insensitive, Danish-aware) ----------------------- */
  function fold(s) {
    s = String(s).normalize("NFC").toLocaleLowerCase(lang === "da" ? "da" : "en");
    // "aa" is the old spelling of "å" (Aarhus/Århus); other accents are ignored.
    s = s.replace(/aa/g, "å");
    return s.normalize("NFD").replace(/[\u0300-\u0302\u0304-\u0309\u030b-\u036f]/g, "").normalize("NFC");
  }
  var searchIndex = null;  // built on the first search, not while the map loads

  function search(query) {
    var q = fold(query.trim());
    if (!q) { return []; }
    if (!searchIndex) { searchIndex = data.details.map(function (d) { return { id: d.id, key: fold(d.label) }; }); }
    var hits = searchIndex.filter(function (r) { return r.key.indexOf(q) !== -1; });
    hits.sort(function (a, b) {
      var pa = a.key.indexOf(q) === 0 ? 0 : 1, pb = b.key.indexOf(q) === 0 ? 0 : 1;
      return pa - pb || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    });
    return hits.map(function (r) { return r.id; });
  }

  function showResults(ids) {
    var list = $("search-results");
    list.replaceChildren();
    if ($("search").value.trim() === "") { return; }
    if (!ids.length) { list.appendChild(el("li", T["search.none"], "none")); return; }
    ids.slice(0, 12).forEach(function (id) {
      var li = el("li");
      var b = el("button", null, "result");
      b.type = "button";
      var label = details.get(id).label;
      b.appendChild(bdi(label.length > 80 ? label.slice(0, 79) + "\u2026" : label));
      b.title = label;
      b.appendChild(el("span", " · " + details.get(id).kind_label, "kind"));
      b.addEventListener("click", function () { select(id, true); });
      li.appendChild(b);
      list.appendChild(li);
    });
    if (ids.length > 12) { list.appendChild(el("li", countText("count.results", ids.length), "more")); }
    announce(ids.length ? countText("count.results", ids.length) : T["search.none"]);
  }
  function resultButtons() { return Array.prototype.slice.call(document.querySelectorAll("#search-results .result")); }
  /* ArrowDown/ArrowUp move through the results (and back to the box); Enter on one selects it */
  function moveInResults(ev, from) {
    var buttons = resultButtons();
    var at = buttons.indexOf(from);
    var to = ev.key === "ArrowDown" ? at + 1 : at - 1;
    if (to >= buttons.length) { to = buttons.length - 1; }
    if (to < 0) { $("search").focus(); } else if (buttons[to]) { buttons[to].focus(); }
    ev.preventDefault();
  }
  $("search-results").addEventListener("keydown", function (ev) {
    var b = ev.target.closest ? ev.target.closest(".result") : null;
    if (!b) { return; }
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") { moveInResults(ev, b); }
    else if (ev.key === "Escape") { $("search").focus(); ev.preventDefault(); }
  });

  /* ---- filters ------------------------------------------------------------------ */
  function sectorBoxes() { return document.querySelectorAll("#sector-filter input[name=sector]"); }

  function checkedSectors() {
    var on = set();
    sectorBoxes().forEach(function (cb) {
      if (cb.checked) { on[cb.value] = true; }
    });
    return on;
  }

  function isVisible(d, hasSectorFilter, sectorsOn, partnership) {
    if (hasSectorFilter && d.kind !== "partnership" && !sectorsOn[d.sector || ""]) { return false; }
    if (partnership) {
      if (d.id === partnership) { return true; }
      return (d.partnerships || []).some(function (p) { return p[0] === partnership; });
    }
    return true;
  }

  var anyHidden = false;
  function filtersOff() {
    var pf = $("partnership-filter");
    return !(pf && pf.value) && Array.prototype.every.call(sectorBoxes(), function (cb) { return cb.checked; }) &&
      exploreFiltersOff();
  }

  /* the summary line ("34 aktører, 5 partnerskaber, 80 forbindelser.") counts what is shown */
  var summaryKey = null;
  function kindOf(vid) { var d = details.get(dataId(vid)); return d ? d.kind : ""; }
  function summaryText() {
    if (summaryKey === null) {
      var kinds = new Set();
      details.forEach(function (d) { kinds.add(d.kind); });
      summaryKey = kinds.has("sector") ? "summary.sectors" : (kinds.has("partnership") ? "summary" : "summary.actors");
    }
    var n = { actor: 0, partnership: 0, sector: 0 }, shown = new Set(), links = 0;
    nodes.forEach(function (node) {
      if (node.hidden) { return; }
      shown.add(node.id);
      var kind = kindOf(node.id);
      if (kind === "actor" || kind === "partnership" || kind === "sector") { n[kind] += 1; }
    });
    edges.forEach(function (e) {
      if (!e.hidden && shown.has(e.from) && shown.has(e.to) && kindOf(e.from) !== "missing" && kindOf(e.to) !== "missing") {
        links += 1;
      }
    });
    return T[summaryKey].replace("{actors}", countText("count.actors", n.actor))
      .replace("{partnerships}", countText("count.partnerships", n.partnership))
      .replace("{sectors}", countText("count.sectors", n.sector))
      .replace("{edges}", countText("count.links", links));
  }
  function showCounts(speak) {
    withDetails(function () {
      var line = $("map-summary");
      var text = summaryText();
      if (line && line.textContent !== text) { line.textContent = text; }
      if (speak) { announce(T["status.shown"].replace("{summary}", text)); }
    });
  }

  function applyFilters(ev) {
    var speak = Boolean(ev && ev.type === "change");
    if (!anyHidden && filtersOff()) {
      // nothing to hide and nothing hidden (the page as loaded): no need to visit every node
      container.dataset.visible = String(network.body.nodeIndices.length);
      if (speak) { showCounts(true); }
      return;
    }
    withDetails(function () {
      var sectorsOn = checkedSectors();
      var pf = $("partnership-filter");
      var partnership = pf ? pf.value : "";
      var hasSectorFilter = $("sector-filter") !== null;
      var updates = [];
      var passes = exploreFilter();
      anyHidden = false;
      nodes.forEach(function (n) {
        var id = dataId(n.id);
        var hidden = !isVisible(details.get(id), hasSectorFilter, sectorsOn, partnership) || !passes(nodeIndex.get(id));
        anyHidden = anyHidden || hidden;
        if (Boolean(n.hidden) !== hidden) { updates.push({ id: n.id, hidden: hidden }); }
      });
      if (updates.length) { nodes.update(updates); }
      hideInactiveEdges();
      container.dataset.visible = String(network.body.nodeIndices.length);
      showCounts(speak);
    });
  }

  /* ---- colour, size, column filters, number range and time ("explore") ------------ */
  // The column dictionary (views/map_columns.py): per column its values, labels and [fill, border]
  // colours once, and per node (in nodeOrder) a value index (-1: none) or a number; the years as
  // [index, start, end] rows of the nodes and edges that have one. It comes with the details.
  var columns = [], years = null, sizeRanges = {}, otherColor = null, noneColor = null, yearSpans = null;
  function takeColumns(part) {
    if (part.columns) {
      var done = [];
      part.columns.forEach(function (c) { done.push(fullColumn(c, done)); });
      columns = done;
      sectorsFromColumn();
    }
    if (part.years) { years = part.years; yearSpans = null; }
    if (part.sizes) { sizeRanges = part.sizes; }
    if (part.other) { otherColor = part.other; }
    if (part.none) { noneColor = part.none; }
  }
  /* a column as one value per node: a derived column ("of": the group of each sector) spelled out,
     and the empty values the data leaves off at the end put back */
  function fullColumn(col, earlier) {
    var out = Object.assign({}, col), n = nodeOrder.length;
    if (col.of) {
      var base = earlier.filter(function (c) { return c.id === col.of.column; })[0];
      out.index = base ? base.index.map(function (k) { return k >= 0 ? col.of.index[k] : -1; }) : [];
    }
    var list = (out.type === "category" ? out.index : out.values || []).slice();
    while (list.length < n) { list.push(out.type === "category" ? -1 : null); }
    if (out.type === "category") { out.index = list; } else { out.values = list; }
    return out;
  }
  takeColumns(data);  // page data in one piece
  /* the actors' sector and its name, which the details leave to the sector column */
  function sectorsFromColumn() {
    var col = column("sector");
    if (!col) { return; }
    col.index.forEach(function (k, i) {
      var d = details.get(nodeOrder[i]);
      if (k >= 0 && d && d.sector_label === undefined) { d.sector = col.values[k]; d.sector_label = col.labels[k]; }
    });
  }
  function column(id) {
    for (var i = 0; i < columns.length; i++) { if (columns[i].id === id) { return columns[i]; } }
    return null;
  }
  function kindAt(i) { var d = details.get(nodeOrder[i]); return d ? d.kind : ""; }
  /* which kinds of node have a value in a per-node list (a column filter leaves the other kinds alone) */
  function kindsWith(values, test) {
    var kinds = set();
    values.forEach(function (v, i) { if (test(v)) { kinds[kindAt(i)] = true; } });
    return kinds;
  }
  function isNumber(v) { return typeof v === "number" && isFinite(v); }

  // the colours and sizes as built (the build options), to return to
  var focusBorder = nodeDefaults.highlight || "#000000";
  var builtColor = new Map(), builtSize = new Map();
  original.forEach(function (o, id) { builtColor.set(id, o.color); });
  data.vis.nodes.forEach(function (n) { builtSize.set(dataId(n.id), n.size); });
  var edgeIds = data.vis.edges.map(function (e) { return e.id; });
  var colorState = data.color_by, sizeState = data.size_by;

  function fill(pair, border) {
    return { background: pair[0], border: border || pair[1],
             highlight: { background: pair[0], border: focusBorder }, hover: { background: pair[0], border: focusBorder } };
  }
  /* colour actors (and partnerships with a value) by a category column; the built colouring is the default */
  function colorBy(cid) {
    var col = column(cid);
    if (!col || col.type !== "category") { cid = data.color_by; col = null; }
    colorState = cid;
    var updates = [];
    nodeOrder.forEach(function (id, i) {
      var c = builtColor.get(id), kind = kindAt(i);
      if (col && cid !== data.color_by && (kind === "actor" || kind === "partnership")) {
        var k = col.index[i];
        var border = c && c.border === focusBorder ? focusBorder : undefined;  // the focus keeps its black ring
        if (k >= 0) { c = fill(col.colors[k], border); }
        else if (kind === "actor" && noneColor) { c = fill(noneColor, border); }
      }
      var o = original.get(id);
      if (o && o.color !== c) { o.color = c; updates.push({ id: visId(id), color: c }); }
    });
    if (updates.length) { nodes.update(updates); }
    if (state.dimmed && state.selected !== null) { highlight(state.selected); }
    showColorLegend();
  }

  /* the legend's colour lines: what colorBy shows, counted over the map's nodes */
  function legendItems() {
    var col = column(colorState);
    if (!col || col.type !== "category") { return null; }
    var counts = col.values.map(function () { return 0; }), other = 0, none = 0, items = [];
    col.index.forEach(function (k, i) {
      if (k >= 0) { counts[k] += 1; } else if (kindAt(i) === "actor") { none += 1; }
    });
    col.values.forEach(function (v, k) {
      if (!counts[k]) { return; }
      if (otherColor && col.colors[k][0] === otherColor) { other += counts[k]; return; }
      items.push({ label: col.labels[k], color: col.colors[k][0], count: counts[k] });
    });
    if (other) { items.push({ label: T["legend.rest"], color: otherColor, count: other }); }
    if (none && noneColor) { items.push({ label: T["legend.none"], color: noneColor[0], count: none }); }
    return items;
  }
  function legendTitle() {
    var col = column(colorState);
    var own = T["legend.color." + colorState];
    return own !== undefined ? own : String(T["legend.color.column"]).replace("{column}", col ? col.label : colorState);
  }
  var builtLegend = null;
  function swatch(color) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg"), c = document.createElementNS(ns, "circle");
    [["class", "swatch"], ["width", "16"], ["height", "16"], ["viewBox", "0 0 16 16"], ["aria-hidden", "true"]]
      .forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    [["cx", "8"], ["cy", "8"], ["r", "7"], ["fill", color], ["stroke", "#333333"], ["stroke-width", "1"]]
      .forEach(function (a) { c.setAttribute(a[0], a[1]); });
    svg.appendChild(c);
    return svg;
  }
  function showColorLegend() {
    var list = $("legend-colors"), heading = $("legend-color-title");
    if (!list || !heading) { return; }
    if (builtLegend === null) { builtLegend = { items: list.cloneNode(true), title: heading.textContent }; }
    if (colorState === data.color_by) {
      list.replaceChildren.apply(list, Array.prototype.slice.call(builtLegend.items.cloneNode(true).childNodes));
      heading.textContent = builtLegend.title;
      return;
    }
    var items = legendItems() || [];
    list.replaceChildren();
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(swatch(item.color));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", item.label));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "(" + countFormat.format(item.count) + ")", "count"));
      list.appendChild(li);
    });
    heading.textContent = legendTitle();
  }

  /* a measure (from the details), a numeric column or the start or end year, per node in nodeOrder */
  function numbersOf(key) {
    var col = column(key);
    if (col && col.type === "number") { return col.values; }
    if ((key === "start" || key === "end") && years) {
      var out = nodeOrder.map(function () { return null; }), at = key === "start" ? 1 : 2;
      years.nodes.forEach(function (r) { out[r[0]] = r[at]; });
      return out;
    }
    return nodeOrder.map(function (id) {
      var m = (details.get(id) || {}).measures;
      return m && isNumber(own(m, key)) ? m[key] : null;
    });
  }
  function measureName(key) {
    var col = column(key);
    return col && col.type === "number" ? col.label : (own(T, "measure." + key) || key);
  }
  /* size nodes by a measure or a numeric column: area-true within each kind, as the build sizes them */
  function sizeBy(key) {
    sizeState = key || data.size_by;
    var built = sizeState === data.size_by;
    var values = built ? null : numbersOf(sizeState), top = set(), updates = [];
    if (!built) {
      values.forEach(function (v, i) {
        var kind = kindAt(i);
        if (isNumber(v) && v > 0 && own(sizeRanges, kind)) { top[kind] = Math.max(top[kind] || 0, v); }
      });
    }
    nodeOrder.forEach(function (id, i) {
      var size = builtSize.get(id), kind = kindAt(i), r = own(sizeRanges, kind);
      if (!built && r && top[kind]) {
        var v = values[i];
        size = isNumber(v) && v > 0 ? Math.round((r[0] + (r[1] - r[0]) * Math.sqrt(Math.min(v, top[kind]) / top[kind])) * 10) / 10 : r[0];
      }
      var n = nodes.get(visId(id));
      if (n && n.size !== size) { updates.push({ id: visId(id), size: size }); }
    });
    // a new size moves the labels: measure them again and place them anew
    if (updates.length) { nodes.update(updates); labelOrder = null; labelsLater(); }
    var note = $("legend-size");
    if (note) { note.textContent = String(T["legend.size"]).replace("{measure}", measureName(sizeState)); }
  }

  function columnFilters() { return Array.prototype.slice.call(document.querySelectorAll("#explore .column-filter")); }
  function yearOn() { var b = $("year-on"); return Boolean(b && b.checked && years); }
  function chosenYear() { return Number($("year").value); }
  function rangeBound(id) { var box = $(id); return box && box.value !== "" && isFinite(box.valueAsNumber) ? box.valueAsNumber : null; }
  function rangeOn() {
    var sel = $("range-column");
    return Boolean(sel && sel.value && (rangeBound("range-min") !== null || rangeBound("range-max") !== null));
  }
  function exploreFiltersOff() {
    return !state.edgesHidden && !yearOn() && !rangeOn() && columnFilters().every(function (s) { return !s.value; });
  }
  function spansOf(rows) {
    var spans = new Map();
    rows.forEach(function (r) { spans.set(r[0], r); });
    return spans;
  }
  function activeIn(r, year) { return (r[1] === null || r[1] <= year) && (r[2] === null || year <= r[2]); }

  /* the column filters, the range and the year as one test of a node index */
  function exploreFilter() {
    var tests = [];
    columnFilters().forEach(function (sel) {
      var col = column(sel.dataset.column);
      if (!sel.value || !col) { return; }
      var k = col.values.indexOf(sel.value), kinds = kindsWith(col.index, function (x) { return x >= 0; });
      tests.push(function (i) { return !kinds[kindAt(i)] || col.index[i] === k; });
    });
    if (rangeOn()) {
      var values = numbersOf($("range-column").value), lo = rangeBound("range-min"), hi = rangeBound("range-max");
      var kinds = kindsWith(values, isNumber);
      tests.push(function (i) {
        var v = values[i];
        if (!kinds[kindAt(i)]) { return true; }
        return isNumber(v) && (lo === null || v >= lo) && (hi === null || v <= hi);
      });
    }
    if (yearOn()) {
      if (yearSpans === null) { yearSpans = spansOf(years.nodes); }
      var year = chosenYear();
      tests.push(function (i) { var r = yearSpans.get(i); return !r || activeIn(r, year); });
    }
    return function (i) {
      if (i === undefined) { return true; }
      for (var t = 0; t < tests.length; t++) { if (!tests[t](i)) { return false; } }
      return true;
    };
  }
  /* links that were not active in the chosen year are hidden too (graph.as_of's rule) */
  function hideInactiveEdges() {
    if (!years) { return; }
    var on = yearOn(), year = on ? chosenYear() : 0, updates = [];
    years.edges.forEach(function (r) {
      var id = edgeIds[r[0]], e = edges.get(id), hidden = on && !activeIn(r, year);
      if (e && Boolean(e.hidden) !== hidden) { updates.push({ id: id, hidden: hidden }); }
    });
    if (updates.length) { edges.update(updates); }
    state.edgesHidden = on;
  }

  function resetExplore() {
    if (!$("explore")) { return; }
    if ($("color-by")) { $("color-by").value = data.color_by; }
    if ($("size-by")) { $("size-by").value = data.size_by; }
    columnFilters().forEach(function (sel) { sel.value = ""; });
    if ($("range-column")) { $("range-column").value = ""; $("range-min").value = ""; $("range-max").value = ""; }
    if ($("year-on")) { $("year-on").checked = false; $("year").disabled = true; }
    withDetails(function () {
      if (colorState !== data.color_by) { colorBy(data.color_by); }
      if (sizeState !== data.size_by) { sizeBy(data.size_by); }
    });
  }

  function wireExplore() {
    if (!$("explore")) { return; }
    function changed(fn) { return function (ev) { var box = this; withDetails(function () { fn.call(box, ev); saveState(); }); }; }
    if ($("color-by")) { $("color-by").addEventListener("change", changed(function () { colorBy(this.value); })); }
    if ($("size-by")) { $("size-by").addEventListener("change", changed(function () { sizeBy(this.value); })); }
    var refilter = changed(function (ev) { applyFilters(ev); });
    columnFilters().forEach(function (sel) { sel.addEventListener("change", refilter); });
    ["range-column", "range-min", "range-max"].forEach(function (id) { if ($(id)) { $(id).addEventListener("change", refilter); } });
    if ($("year-on")) {
      $("year-on").addEventListener("change", changed(function (ev) { $("year").disabled = !this.checked; applyFilters(ev); }));
      $("year").addEventListener("input", function () { $("year-value").textContent = this.value; applyFilters(); });
      $("year").addEventListener("change", refilter);
    }
  }

  /* ---- highlight and side panel -------------------------------------------------- */
  function clearHighlight() {
    if (!state.dimmed) { return; }
    var nodeUpdates = [], edgeUpdates = [];
    original.forEach(function (o, id) { nodeUpdates.push({ id: visId(id), color: o.color, font: o.font }); });
    originalEdge.forEach(function (o, id) { edgeUpdates.push({ id: id, color: o.color, width: o.width }); });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    state.dimmed = false;
  }

  function highlight(id) {
    clearHighlight();
    var near = new Set([visId(id)].concat(network.getConnectedNodes(visId(id))));
    var nodeUpdates = [];
    original.forEach(function (o, n) {
      if (!near.has(visId(n))) {
        nodeUpdates.push({ id: visId(n), color: { background: "#e8e8e8", border: "#cccccc" },
                           font: Object.assign({}, o.font, { color: "#9a9a9a" }) });
      }
    });
    nodes.update(nodeUpdates);
    var connected = new Set(network.getConnectedEdges(visId(id)));
    var edgeUpdates = [];
    originalEdge.forEach(function (o, e) {
      if (!connected.has(e)) { edgeUpdates.push({ id: e, color: { color: "#e6e6e6", opacity: 1 } }); }
    });
    edges.update(edgeUpdates);
    state.dimmed = true;
  }

  function addList(body, heading, items, render) {
    body.appendChild(el("h4", heading));
    if (!items.length) { body.appendChild(el("p", T.none, "none")); return; }
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(render(item)); });
    body.appendChild(ul);
  }

  /* a detail list item [id, role, own texts?] with its texts from refs and roles */
  function expand(item) {
    var r = own(refs, item[0]) || [], texts = item[2] || {};
    return {
      id: item[0],
      role: item[1],
      label: texts.label !== undefined ? texts.label : (r[0] !== undefined && r[0] !== null ? r[0] : item[0]),
      sector_label: texts.sector_label !== undefined ? texts.sector_label : r[1],
      role_label: texts.role_label !== undefined ? texts.role_label : own(roles, item[1])
    };
  }

  function linkTo(id, label, extra) {
    var li = el("li");
    if (details.has(id)) {
      var b = el("button", null, "link");
      b.type = "button";
      b.appendChild(bdi(label));
      b.addEventListener("click", function () { select(id, true); });
      li.appendChild(b);
    } else {
      li.appendChild(bdi(label));
    }
    if (extra) { li.appendChild(el("span", " (" + extra + ")", "extra")); }
    return li;
  }

  /* ---- the data's own columns in the panel: [column, text] pairs, text only ---------- */
  var foldAt = typeof data.fold_at === "number" ? data.fold_at : 160;
  /* a value as text, or folded in a <details> when it is long (the start of it as the summary) */
  function columnValue(text) {
    if (text.length <= foldAt) { return el("span", text); }
    var fold = el("details", null, "long");
    var cut = text.slice(0, 80).replace(/\s+\S*$/, "");
    fold.appendChild(el("summary", cut + "\u2026 (" + (T["columns.more"] || "") + ")"));
    fold.appendChild(el("p", text));
    return fold;
  }
  function columnList(pairs) {
    var dl = el("dl", null, "columns");
    pairs.forEach(function (pair) {
      dl.appendChild(el("dt", pair[0]));
      var dd = el("dd");
      dd.appendChild(columnValue(String(pair[1])));
      dl.appendChild(dd);
    });
    return dl;
  }
  function addColumns(body, d) {
    if (!d.columns || !d.columns.length) { return; }
    body.appendChild(el("h4", T.columns));
    body.appendChild(columnList(d.columns));
  }
  /* the own columns of the membership with ``other`` (e.g. its evidence quote), under its list item */
  function withLinkColumns(li, d, other) {
    (d.link_columns || []).forEach(function (lc) {
      if (lc[0] === other && lc[1].length) { li.appendChild(columnList(lc[1])); }
    });
    return li;
  }

  function showPanel(id) {
    var d = details.get(id);
    var body = $("panel-body");
    body.replaceChildren();
    var h = el("h3");
    h.appendChild(bdi(d.label));
    body.appendChild(h);
    var facts = [d.kind_label, d.sector_label, d.type_label].filter(function (x) { return x; });
    body.appendChild(el("p", facts.join(" · "), "facts"));
    var keys = Object.keys(d.measures || {});
    if (keys.length) {
      body.appendChild(el("h4", T.measures));
      var dl = el("dl", null, "measures");
      keys.forEach(function (m) {
        dl.appendChild(el("dt", own(T, "measure." + m) || m));
        dl.appendChild(el("dd", fmt(d.measures[m])));
      });
      if (d.coverage !== undefined && d.coverage !== null) {
        // written by the view model as the pages write a share ("13 %")
        dl.appendChild(el("dt", T.coverage));
        dl.appendChild(el("dd", fmt(d.coverage)));
      }
      body.appendChild(dl);
    }
    addColumns(body, d);
    if (d.kind === "partnership") {
      addList(body, T.members + " (" + (d.members || []).length + ")", (d.members || []).map(expand), function (m) {
        return withLinkColumns(linkTo(m.id, m.label, [m.sector_label, m.role_label].filter(Boolean).join(", ")), d, m.id);
      });
      addList(body, T.present_sectors, d.present || [], function (s) { return el("li", s); });
      addList(body, T.missing_sectors, d.missing || [], function (s) { return el("li", s, "missing"); });
    } else if (d.kind === "actor" || d.kind === "missing") {
      addList(body, T.partnerships + " (" + (d.partnerships || []).length + ")", (d.partnerships || []).map(expand),
        function (p) { return withLinkColumns(linkTo(p.id, p.label, p.role_label), d, p.id); });
    }
    $("panel").classList.add("open");
    $("panel-close").hidden = false;
  }

  function hidePanel() {
    var body = $("panel-body");
    body.replaceChildren(el("p", T["panel.hint"], "hint"));
    $("panel").classList.remove("open");
    $("panel-close").hidden = true;
  }

  function select(id, move, quiet) {
    if (!details.has(id)) { return; }
    withDetails(function () {
      state.selected = id;
      network.selectNodes([visId(id)]);
      if (quiet) { clearHighlight(); } else { highlight(id); }
      showPanel(id);
      if (move) { network.focus(visId(id), { scale: Math.max(network.getScale(), 1.0), animation: false }); }
      if (!quiet) {
        var d = details.get(id);
        announce(T["status.selected"].replace("{label}", d.label).replace("{kind}", d.kind_label));
      }
      saveState();
    });
  }

  function clearSelection(speak) {
    var had = state.selected !== null;
    state.selected = null;
    network.unselectAll();
    clearHighlight();
    hidePanel();
    if (had && speak === true) { announce(T["status.cleared"]); }
    if (had) { saveState(); }
  }

  /* ---- wiring --------------------------------------------------------------------- */
  network.on("click", function (params) {
    if (params.nodes.length) { select(dataId(params.nodes[0]), false); } else { clearSelection(true); }
  });

  $("search").addEventListener("input", function () {
    var box = this;
    withDetails(function () { showResults(search(box.value)); });
  });
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var ids = search(this.value);
      if (ids.length) { select(ids[0], true); }
      ev.preventDefault();
    } else if (ev.key === "ArrowDown") {
      if (resultButtons().length) { resultButtons()[0].focus(); }
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      this.value = "";
      showResults([]);
    }
  });

  sectorBoxes().forEach(function (cb) { cb.addEventListener("change", applyFilters); });
  if ($("partnership-filter")) { $("partnership-filter").addEventListener("change", applyFilters); }
  $("panel-close").addEventListener("click", function () { clearSelection(true); });

  function resetAll() {
    state.hold = true;  // one history step for the whole reset
    sectorBoxes().forEach(function (cb) { cb.checked = true; });
    if ($("partnership-filter")) { $("partnership-filter").value = ""; }
    resetExplore();
    $("search").value = "";
    showResults([]);
    clearSelection();
    applyFilters();
    if (state.physics) { togglePhysics(); }
    fitAll();
    showCounts(false);
    announce(T["status.reset"]);
    state.hold = false;
    saveState();
  }
  $("reset").addEventListener("click", resetAll);

  function togglePhysics() {
    state.physics = !state.physics;
    network.setOptions({ physics: { enabled: state.physics } });
    var b = $("physics");
    b.textContent = state.physics ? T["physics.on"] : T["physics.off"];
    b.setAttribute("aria-pressed", state.physics ? "true" : "false");
  }
  $("physics").addEventListener("click", togglePhysics);

  $("download").addEventListener("click", function () {
    imageBlob(function (blob) {
      var url = URL.createObjectURL(blob);
      var a = document.createElement("a");
      a.href = url;
      a.download = (data.view || "network") + ".png";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
    });
  });

  function fitAll() {
    network.fit({ animation: false });
    // leave room for the labels of the outermost nodes
    network.moveTo({ scale: Math.min(network.getScale() * 0.9, 1.5), animation: false });
  }
  /* ---- keyboard: the map is one tab stop when it has a keyboard control ----------- */
  // vis-network makes its own frame a tab stop even with its keyboard option off (where it does
  // nothing with keys): then the map container is the one stop, with partnernet's keys below.
  var visKeys = Boolean(data.vis.options && data.vis.options.interaction && data.vis.options.interaction.keyboard &&
                        data.vis.options.interaction.keyboard.enabled);
  var frame = container.querySelector(".vis-network");
  var PAN = 0.125, ZOOM = 1.25;  // an eighth of the map; a quarter bigger or smaller
  function zoomBy(factor) {
    var scale = Math.min(Math.max(network.getScale() * factor, 0.02), 12);
    network.moveTo({ position: network.getViewPosition(), scale: scale, animation: false });
  }
  function panBy(dx, dy) {
    var p = network.getViewPosition(), scale = network.getScale();
    network.moveTo({ position: { x: p.x + dx * container.clientWidth / scale, y: p.y + dy * container.clientHeight / scale },
                     scale: scale, animation: false });
  }
  if (!visKeys && data.vis.nodes.length) {
    if (frame) { frame.tabIndex = -1; }
    container.tabIndex = 0;
    container.setAttribute("role", "application");
    container.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      var k = ev.key;
      if (k === "ArrowLeft") { panBy(-PAN, 0); }
      else if (k === "ArrowRight") { panBy(PAN, 0); }
      else if (k === "ArrowUp") { panBy(0, -PAN); }
      else if (k === "ArrowDown") { panBy(0, PAN); }
      else if (k === "+" || k === "=" || k === "Add") { zoomBy(ZOOM); }
      else if (k === "-" || k === "\u2212" || k === "_" || k === "Subtract") { zoomBy(1 / ZOOM); }
      else if (k === "Escape") { resetAll(); }
      else if (k === "0") { fitAll(); saveView(); }
      else if (k === "n" || k === "N") { stepSelection(1); }
      else if (k === "p" || k === "P") { stepSelection(-1); }
      else if (k === "Enter" || k === " ") { selectAtCentre(); }
      else { return; }
      ev.preventDefault();
    });
    var zoomButtons = document.querySelector(".zoom-buttons");
    if (zoomButtons) { zoomButtons.hidden = false; }
    $("zoom-in").addEventListener("click", function () { zoomBy(ZOOM); });
    $("zoom-out").addEventListener("click", function () { zoomBy(1 / ZOOM); });
    $("zoom-fit").addEventListener("click", fitAll);
  } else if (frame && !visKeys) {
    frame.tabIndex = -1;  // an empty map: nothing to operate, no tab stop
  }
  /* the skip link leads to the table; open it when it is folded away */
  var skip = document.querySelector(".map-skip");
  if (skip) {
    skip.addEventListener("click", function () {
      var target = document.getElementById(skip.getAttribute("href").slice(1));
      var folded = target && (target.tagName === "DETAILS" ? target : target.querySelector("details"));
      if (folded) { folded.open = true; }
    });
  }

  /* ---- labels that do not collide -------------------------------------------------
   * At each scale, the labels vis-network draws (those not too small to read: its
   * drawThreshold) are placed best first (the selected node, the focus, then bigger nodes,
   * then data order), and a label that would overlap one placed before it is hidden until a
   * zoom or a move gives it room. The boxes are measured once (canvas measureText, the font
   * vis-network uses), relative to the node. The same page in the same window always shows the
   * same labels. labelBoxes() gives the boxes vis-network drew, in page pixels. */
  var labelBox = new Map();    // vis id → {dx, dy, w, h}: the label's box relative to its node, canvas units
  var labelOff = new Set();    // vis ids whose label is hidden
  var labelOrder = null;       // vis ids, best first (without the selection)
  var labelScale = null, labelCount = 0, labelPending = false;
  var LABEL_GAP = 2;           // canvas units kept free around a label
  function labelThreshold(n) {
    var s = n.labelModule.elementOptions.scaling;
    return (s && s.label && typeof s.label.drawThreshold === "number" ? s.label.drawThreshold : 5) - 1;
  }
  /* where vis-network draws a dot's or a square's label: centred under the shape, its top
   * half the shape's height, half the font size and 4 pixels below the centre ("hanging") */
  function measureLabels() {
    var order = [], ctx = document.createElement("canvas").getContext("2d");
    network.body.nodeIndices.forEach(function (vid, i) {
      var n = network.body.nodes[vid], L = n.labelModule, f = L.fontOptions, text = L.elementOptions.label;
      if (!text) { return; }
      ctx.font = (f.mod ? f.mod + " " : "") + f.size + "px " + f.face;
      var w = ctx.measureText(text).width, lines = String(text).split("\n").length;
      var height = typeof n.shape.height === "number" ? n.shape.height : 2 * (n.options.size || 0);
      labelBox.set(vid, { dx: -w / 2, dy: height / 2 + f.size / 2 + 4, w: w, h: f.size * lines, text: text });
      order.push([vid, vid === visId(data.focus) ? 0 : 1, -(n.options.size || 0), i]);
    });
    order.sort(function (a, b) { return a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
    labelOrder = order.map(function (o) { return o[0]; });
  }
  function declutterLabels() {
    labelPending = false;
    if (labelOrder === null) { measureLabels(); }
    var scale = network.getScale(), shown = new Set(network.body.nodeIndices);
    var first = state.selected !== null ? [visId(state.selected)] : [];
    var placed = new Map(), cell = 160, off = new Set();
    function key(i, j) { return i + "," + j; }
    function fits(b) {
      var i0 = Math.floor(b.x0 / cell), i1 = Math.floor(b.x1 / cell), j0 = Math.floor(b.y0 / cell),
          j1 = Math.floor(b.y1 / cell), i, j, k, list;
      for (i = i0; i <= i1; i++) {
        for (j = j0; j <= j1; j++) {
          list = placed.get(key(i, j)) || [];
          for (k = 0; k < list.length; k++) {
            var o = list[k];
            if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) { return false; }
          }
        }
      }
      for (i = i0; i <= i1; i++) {
        for (j = j0; j <= j1; j++) {
          if (!placed.has(key(i, j))) { placed.set(key(i, j), []); }
          placed.get(key(i, j)).push(b);
        }
      }
      return true;
    }
    first.concat(labelOrder).forEach(function (vid, at) {
      if (at >= first.length && first.indexOf(vid) !== -1) { return; }
      var n = network.body.nodes[vid], m = labelBox.get(vid);
      if (!n || !m || !shown.has(vid)) { return; }
      if (n.labelModule.fontOptions.size * scale < labelThreshold(n)) { return; }  // vis-network does not draw it
      var x0 = n.x + m.dx - LABEL_GAP, y0 = n.y + m.dy - LABEL_GAP;
      if (!fits({ x0: x0, y0: y0, x1: x0 + m.w + 2 * LABEL_GAP, y1: y0 + m.h + 2 * LABEL_GAP })) { off.add(vid); }
    });
    var updates = [];
    labelOff.forEach(function (vid) {
      if (!off.has(vid) && nodes.get(vid)) { updates.push({ id: vid, label: labelBox.get(vid).text }); }
    });
    off.forEach(function (vid) { if (!labelOff.has(vid)) { updates.push({ id: vid, label: "" }); } });
    labelOff = off;
    labelScale = scale;
    labelCount = network.body.nodeIndices.length;
    if (updates.length) { nodes.update(updates); }
  }
  function labelsLater() {
    if (labelPending) { return; }
    labelPending = true;
    window.requestAnimationFrame(declutterLabels);
  }
  network.on("afterDrawing", function () {
    if (labelScale !== null && (network.getScale() !== labelScale || state.physics ||
                                network.body.nodeIndices.length !== labelCount)) { labelsLater(); }
  });
  network.on("dragEnd", labelsLater);
  network.on("selectNode", labelsLater);
  function labelBoxes() {
    var out = [];
    network.body.nodeIndices.forEach(function (vid) {
      var n = network.body.nodes[vid], L = n.labelModule;
      if (!L.elementOptions.label || L.fontOptions.size * network.getScale() < labelThreshold(n)) { return; }
      var a = network.canvasToDOM({ x: L.size.left, y: L.size.top });
      var b = network.canvasToDOM({ x: L.size.left + L.size.width, y: L.size.top + L.size.height });
      out.push({ id: dataId(vid), label: L.elementOptions.label, x0: a.x, y0: a.y, x1: b.x, y1: b.y });
    });
    return out;
  }

  wireExplore();
  wireState();
  // filters a reloaded page brought back (the browser restores form fields)
  applyFilters();
  if (data.focus && details.has(data.focus)) { select(data.focus, false, true); }
  // vis-network has measured every label while fitting the network in (its fit sizes the
  // nodes), so the final view can be set before the first drawing: one drawing, not two
  fitAll();
  declutterLabels();
  // the view a copied link names (its fragment), or menus a reloaded page brought back, once the details
  // are at hand (otherwise they stay unread until first used); from then on every change is saved
  var colorMenu = $("color-by"), sizeMenu = $("size-by");
  if (location.hash.indexOf("=") !== -1 || (colorMenu && colorMenu.value !== data.color_by) ||
      (sizeMenu && sizeMenu.value !== data.size_by)) {
    withDetails(function () {
      if (colorMenu && colorMenu.value !== data.color_by) { colorBy(colorMenu.value); }
      if (sizeMenu && sizeMenu.value !== data.size_by) { sizeBy(sizeMenu.value); }
      restoreState(true);
      state.hold = false;
    });
  } else {
    state.hold = false;
  }
  network.once("afterDrawing", function () {
    if (nodes.length === data.vis.nodes.length) { mark("partnernet-drawn"); }
    // ready for use (tests wait for this): drawn, and the details at hand
    withDetails(function () { container.dataset.ready = "true"; });
  });

  /* ---- the view in the URL fragment: a copied link opens it, Back steps through it ---- */
  // #n=ID (selected) &xs=SECTOR (a sector switched off, repeated) &p=ID (partnership) &c=COLUMN
  // (colour) &z=KEY (size) &f.COLUMN=VALUE &r=KEY&r0=MIN&r1=MAX (range) &y=YEAR &v=X,Y,SCALE (view).
  // URLSearchParams writes and reads the escaping; a fragment without "=" is an anchor, left alone.
  var lastHash = null, viewTimer = null;
  function stateQuery() {
    var q = new URLSearchParams();
    if (state.selected !== null) { q.set("n", state.selected); }
    sectorBoxes().forEach(function (cb) { if (!cb.checked) { q.append("xs", cb.value); } });
    var pf = $("partnership-filter");
    if (pf && pf.value) { q.set("p", pf.value); }
    if (colorState !== data.color_by) { q.set("c", colorState); }
    if (sizeState !== data.size_by) { q.set("z", sizeState); }
    columnFilters().forEach(function (sel) { if (sel.value) { q.set("f." + sel.dataset.column, sel.value); } });
    if ($("range-column") && $("range-column").value) {
      q.set("r", $("range-column").value);
      if ($("range-min").value !== "") { q.set("r0", $("range-min").value); }
      if ($("range-max").value !== "") { q.set("r1", $("range-max").value); }
    }
    if (yearOn()) { q.set("y", $("year").value); }
    var p = network.getViewPosition();
    q.set("v", [Math.round(p.x), Math.round(p.y), Math.round(network.getScale() * 1000) / 1000].join(","));
    return q.toString().replace(/%2C/gi, ",");  // commas need no escape in a fragment, and read better
  }
  /* a new history entry for what changed (replace: the same entry, for pans and zooms) */
  function saveState(replace) {
    if (state.hold || !window.history || !history.pushState) { return; }
    var hash = "#" + stateQuery();
    if (hash === location.hash) { return; }
    lastHash = hash;
    try {
      if (replace) { history.replaceState(null, "", hash); } else { history.pushState(null, "", hash); }
    } catch (e) { /* a page that may not change its address (a sandboxed frame) */ }
  }
  function saveView() {
    if (viewTimer !== null) { clearTimeout(viewTimer); }
    viewTimer = setTimeout(function () { viewTimer = null; saveState(true); }, 250);
  }
  function setSelect(sel, value) {
    if (!sel) { return; }
    sel.value = value;
    if (sel.value !== value) { sel.value = ""; }  // not one of its options: the default
  }
  /* set the controls, the map and the selection from the fragment; an empty one is the page as loaded */
  function restoreState(atLoad) {
    var raw = location.hash.slice(1);
    if ((raw !== "" && raw.indexOf("=") === -1) || (raw === "" && atLoad)) { return; }
    if ("#" + raw === lastHash && !atLoad) { return; }
    var q = new URLSearchParams(raw);
    state.hold = true;
    try {
      var off = q.getAll("xs");
      sectorBoxes().forEach(function (cb) { cb.checked = off.indexOf(cb.value) === -1; });
      setSelect($("partnership-filter"), q.get("p") || "");
      var c = q.get("c") || data.color_by, z = q.get("z") || data.size_by;
      if ($("color-by")) { setSelect($("color-by"), c); c = $("color-by").value || data.color_by; }
      if ($("size-by")) { setSelect($("size-by"), z); z = $("size-by").value || data.size_by; }
      if (c !== colorState) { colorBy(c); }
      if (z !== sizeState) { sizeBy(z); }
      columnFilters().forEach(function (sel) { setSelect(sel, q.get("f." + sel.dataset.column) || ""); });
      if ($("range-column")) {
        setSelect($("range-column"), q.get("r") || "");
        $("range-min").value = q.get("r0") || "";
        $("range-max").value = q.get("r1") || "";
      }
      if ($("year-on")) {
        var y = q.get("y");
        $("year-on").checked = y !== null;
        $("year").disabled = y === null;
        if (y !== null) { $("year").value = y; $("year-value").textContent = $("year").value; }
      }
      applyFilters();
      var n = q.get("n");
      if (n !== null && details.has(n)) { select(n, false); } else { clearSelection(false); }
      var v = (q.get("v") || "").split(",").map(Number);
      if (v.length === 3 && v.every(isFinite) && v[2] > 0) {
        network.moveTo({ position: { x: v[0], y: v[1] }, scale: v[2], animation: false });
      } else { fitAll(); }
    } finally {
      state.hold = false;
      lastHash = location.hash;
    }
  }
  function wireState() {
    function back() { withDetails(function () { restoreState(false); }); }
    window.addEventListener("popstate", back);
    window.addEventListener("hashchange", back);
    var filtered = function () { withDetails(function () { saveState(); }); };
    sectorBoxes().forEach(function (cb) { cb.addEventListener("change", filtered); });
    if ($("partnership-filter")) { $("partnership-filter").addEventListener("change", filtered); }
    network.on("dragEnd", function () { saveView(); });
    network.on("zoom", function () { saveView(); });
  }

  /* ---- keyboard selection: N/P step through the shown nodes, Enter picks the one in the middle -- */
  function shownIds() {
    return nodeOrder.filter(function (id) { var n = nodes.get(visId(id)); return n && !n.hidden; });
  }
  function stepSelection(step) {
    withDetails(function () {
      var ids = shownIds().map(function (id) { return { id: id, key: fold(details.get(id).label) }; });
      ids.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
      if (!ids.length) { return; }
      var at = -1;
      ids.forEach(function (r, i) { if (r.id === state.selected) { at = i; } });
      var to = at === -1 ? (step > 0 ? 0 : ids.length - 1) : (at + step + ids.length) % ids.length;
      select(ids[to].id, true);
    });
  }
  function selectAtCentre() {
    var c = network.getViewPosition(), ids = shownIds(), pos = network.getPositions(ids.map(visId));
    var best = null, bestD = Infinity;
    ids.forEach(function (id) {
      var p = pos[visId(id)];
      if (!p) { return; }
      var d = (p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y);
      if (d < bestD) { bestD = d; best = id; }
    });
    if (best !== null) { select(best, false); }
  }

  /* ---- the image: the map at twice its pixels, with the title, the date and the legend ----- */
  var IMAGE_SCALE = 2;
  /* the map drawn once more at k device pixels per CSS pixel: vis-network's renderer draws for its
     canvas' pixelRatio (window.devicePixelRatio), so that is set to k for one synchronous redraw */
  function mapPixels(k) {
    var canvas = container.querySelector("canvas");
    var w = canvas.clientWidth, h = canvas.clientHeight;
    var out = document.createElement("canvas");
    out.width = w * k;
    out.height = h * k;
    var vc = network.canvas, renderer = network.renderer;
    if (vc && renderer && typeof renderer._redraw === "function") {
      var ratio = vc.pixelRatio, cw = canvas.width, ch = canvas.height;
      try {
        vc.pixelRatio = k;
        canvas.width = w * k;
        canvas.height = h * k;
        renderer._redraw();
        out.getContext("2d").drawImage(canvas, 0, 0);
      } finally {
        vc.pixelRatio = ratio;
        canvas.width = cw;
        canvas.height = ch;
        network.redraw();
      }
    } else {
      out.getContext("2d").drawImage(canvas, 0, 0, w * k, h * k);  // another vis-network: scaled up
    }
    return { canvas: out, width: w, height: h };
  }
  /* what the legend shows now: colour lines (as the page shows them), then the size and width notes */
  function imageLegend() {
    var items = legendItems();
    if (items === null) {  // the built legend of a view without a column dictionary (sectors)
      items = Array.prototype.map.call(document.querySelectorAll("#legend-colors li"), function (li) {
        var circle = li.querySelector("circle");
        return { label: li.textContent.replace(/\s+/g, " ").trim(), color: circle ? circle.getAttribute("fill") : "#bbbbbb" };
      });
    }
    var title = $("legend-color-title") ? $("legend-color-title").textContent : "";
    var note = document.querySelector(".legend-note");
    return { title: title, items: items, note: note ? note.textContent.replace(/\s+/g, " ").trim() : "" };
  }
  /* a text as the lines that fit ``width`` in the context's font (words kept whole where they fit) */
  function wrapText(ctx, text, width) {
    var lines = [], line = "";
    String(text).split(/\s+/).filter(Boolean).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && ctx.measureText(next).width > width) { lines.push(line); line = word; } else { line = next; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  function imageCanvas() {
    var k = IMAGE_SCALE, map = mapPixels(k), face = (data.vis.options.nodes.font || {}).face || "sans-serif";
    var pad = 16, legendW = 280, line = 20;
    var legend = imageLegend();
    var facts = [data.date ? String(T["png.date"]).replace("{date}", data.date) : null,
                 yearOn() ? String(T["png.year"]).replace("{year}", $("year").value) : null,
                 $("map-summary") ? $("map-summary").textContent : null].filter(Boolean).join(" \u00b7 ");
    var head = pad + 24 + 8 + 16 + pad;
    var measure = document.createElement("canvas").getContext("2d");
    measure.font = "13px " + face;
    var noteLines = wrapText(measure, legend.note, legendW);
    var legendH = line * (legend.items.length + 2 + noteLines.length) + pad;
    var width = pad + map.width + pad + legendW + pad, height = head + Math.max(map.height, legendH) + pad;
    var out = document.createElement("canvas");
    out.width = width * k;
    out.height = height * k;
    var ctx = out.getContext("2d");
    ctx.scale(k, k);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.textBaseline = "alphabetic";
    ctx.fillStyle = "#1a1a1a";
    ctx.font = "bold 22px " + face;
    ctx.fillText(data.title || document.title, pad, pad + 22, width - 2 * pad);
    ctx.fillStyle = "#444444";
    ctx.font = "14px " + face;
    ctx.fillText(facts, pad, pad + 24 + 8 + 14, width - 2 * pad);
    ctx.drawImage(map.canvas, pad, head, map.width, map.height);
    ctx.strokeStyle = "#cccccc";
    ctx.lineWidth = 1;
    ctx.strokeRect(pad - 0.5, head - 0.5, map.width + 1, map.height + 1);
    var x = pad + map.width + pad, y = head + 16;
    ctx.fillStyle = "#1a1a1a";
    ctx.font = "bold 15px " + face;
    ctx.fillText(legend.title, x, y, legendW);
    ctx.font = "14px " + face;
    legend.items.forEach(function (item) {
      y += line;
      ctx.beginPath();
      ctx.arc(x + 8, y - 5, 7, 0, 2 * Math.PI);
      ctx.fillStyle = item.color;
      ctx.fill();
      ctx.strokeStyle = "#333333";
      ctx.stroke();
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(item.count === undefined ? item.label : item.label + " (" + countFormat.format(item.count) + ")",
                   x + 22, y, legendW - 22);
    });
    ctx.fillStyle = "#444444";
    ctx.font = "13px " + face;
    y += line * 0.5;
    noteLines.forEach(function (text) { y += line; ctx.fillText(text, x, y, legendW); });
    return { canvas: out, width: width, height: height, map: { x: pad, y: head, width: map.width, height: map.height },
             legend: { x: x, y: head, width: legendW, height: legendH } };
  }
  function imageBlob(done) { imageCanvas().canvas.toBlob(done, "image/png"); }

  /* a small read-only handle for tests and the console */
  window.partnernetMap = {
    network: network,
    nodes: nodes,
    edges: edges,
    select: select,
    search: search,
    visId: visId,
    dataId: dataId,
    zoomBy: zoomBy,
    panBy: panBy,
    labelBoxes: labelBoxes,
    colorBy: colorBy,
    sizeBy: sizeBy,
    image: imageCanvas,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
    drawnEdgeCount: function () { return network.body.edgeIndices.length; }
  };
}());
