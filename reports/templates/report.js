/* netcensus HTML report: findings table (filter, sort, paginate, evidence) and links into it.
 * Device and inventory text is untrusted: it only ever goes into the page through
 * textContent or setAttribute, never through innerHTML. Inlined inside a CDATA section:
 * never write the sequence that closes one, nor a closing tag. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("nc-data").textContent);
  var rows = data.rows;
  var state = { family: "", severity: "", dept: "", code: "", site: "", q: "", sort: "", dir: 1, page: 0 };
  var openKeys = {};

  var tbody = document.getElementById("nc-rows");
  var countLine = document.getElementById("nc-count");
  var pageLabel = document.getElementById("nc-page");
  var prev = document.getElementById("nc-prev");
  var next = document.getElementById("nc-next");
  var deptSelect = document.getElementById("nc-dept");
  var codeSelect = document.getElementById("nc-code");
  var search = document.getElementById("nc-search");
  var siteChip = document.getElementById("nc-site-chip");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function deptNames(row) {
    return row.depts.map(function (d) { return data.departments[d] || d; }).join(", ");
  }

  // Lower-cased text a search looks through, built once per row.
  function haystack(row) {
    if (row._hay === undefined) {
      var parts = [row.key, row.title, row.rec, data.families[row.family] || row.family];
      row.depts.forEach(function (d) { parts.push(data.departmentsFull[d] || d); });
      row.evidence.forEach(function (e) { parts.push(e[0], e[1]); });
      row._hay = parts.join(" ").toLowerCase();
    }
    return row._hay;
  }

  function matches(row) {
    if (state.family && row.family !== state.family) { return false; }
    if (state.severity && String(row.sev) !== state.severity) { return false; }
    if (state.dept && row.depts.indexOf(state.dept) === -1) { return false; }
    if (state.code && row.code !== state.code) { return false; }
    if (state.site && row.sites.indexOf(state.site) === -1) { return false; }
    if (state.q && haystack(row).indexOf(state.q) === -1) { return false; }
    return true;
  }

  var sortKeys = {
    sev: function (r) { return -r.sev; },
    code: function (r) { return r.code; },
    title: function (r) { return r.title.toLowerCase(); },
    family: function (r) { return data.families[r.family] || r.family; },
    dept: function (r) { return deptNames(r).toLowerCase(); },
    saving: function (r) { return r.saving === null ? Infinity : -r.saving; },
    status: function (r) { return r.status; }
  };

  function ordered(list) {
    if (!state.sort) { return list; }
    var key = sortKeys[state.sort];
    var dir = state.dir;
    // Stable: ties keep the report's order (most severe first).
    return list.map(function (r, i) { return [key(r), i, r]; }).sort(function (a, b) {
      if (a[0] === b[0]) { return a[1] - b[1]; }
      if (a[0] === Infinity) { return 1; }
      if (b[0] === Infinity) { return -1; }
      return (a[0] > b[0] ? 1 : -1) * dir;
    }).map(function (x) { return x[2]; });
  }

  function detailRow(row) {
    var tr = el("tr", "detail");
    var td = el("td");
    td.colSpan = 7;
    var rec = el("p", "detail-rec");
    rec.appendChild(el("strong", null, data.text.recommendation + ": "));
    rec.appendChild(document.createTextNode(row.rec));
    td.appendChild(rec);
    td.appendChild(el("strong", null, data.text.evidence));
    if (row.evidence.length) {
      var list = el("ul", "evidence");
      row.evidence.forEach(function (e) {
        var li = el("li");
        li.appendChild(el("span", "src", e[0]));
        li.appendChild(el("span", "det", e[1]));
        list.appendChild(li);
      });
      td.appendChild(list);
    } else {
      td.appendChild(el("p", "empty", data.text.noEvidence));
    }
    td.appendChild(el("p", "detail-key", data.text.key + ": " + row.key));
    tr.appendChild(td);
    return tr;
  }

  function findingRow(row) {
    var tr = el("tr", "row" + (row.status === "waived" ? " waived" : "") + (openKeys[row.key] ? " open" : ""));
    tr.setAttribute("data-family", row.family);
    tr.setAttribute("data-key", row.key);
    tr.tabIndex = 0;
    var sevName = { 4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info" }[row.sev];
    var sevCell = el("td");
    sevCell.appendChild(el("span", "pill sev-" + sevName, data.severities[String(row.sev)]));
    tr.appendChild(sevCell);
    tr.appendChild(el("td", "mono", row.code));
    var titleCell = el("td", null, row.title);
    if (row["new"]) { titleCell.appendChild(el("span", "new-badge", data.text["new"])); }
    tr.appendChild(titleCell);
    tr.appendChild(el("td", null, data.families[row.family] || row.family));
    var deptCell = el("td", null, deptNames(row));
    deptCell.title = row.depts.map(function (d) { return data.departmentsFull[d] || d; }).join("\n");
    tr.appendChild(deptCell);
    tr.appendChild(el("td", "num saving", row.savingText));
    tr.appendChild(el("td", null, data.statuses[row.status] || row.status));
    function toggle() {
      openKeys[row.key] = !openKeys[row.key];
      render();
    }
    tr.addEventListener("click", toggle);
    tr.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
    });
    return tr;
  }

  function render() {
    var shown = ordered(rows.filter(matches));
    var size = data.pageSize;
    var pages = Math.max(1, Math.ceil(shown.length / size));
    state.page = Math.min(state.page, pages - 1);
    var first = state.page * size;
    var page = shown.slice(first, first + size);
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    page.forEach(function (row) {
      tbody.appendChild(findingRow(row));
      if (openKeys[row.key]) { tbody.appendChild(detailRow(row)); }
    });
    if (!page.length) {
      var tr = el("tr");
      var td = el("td", "empty", data.text.noneMatch);
      td.colSpan = 7;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    countLine.textContent = shown.length ? fill(data.text.showing, {
      first: first + 1, last: first + page.length, shown: shown.length, total: rows.length
    }) : "";
    pageLabel.textContent = fill(data.text.page, { page: state.page + 1, pages: pages });
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    syncControls();
  }

  function syncControls() {
    var chips = document.querySelectorAll("#nc-filters .chip[data-filter]");
    Array.prototype.forEach.call(chips, function (chip) {
      var on = state[chip.getAttribute("data-filter")] === chip.getAttribute("data-value");
      chip.classList.toggle("on", on);
      chip.setAttribute("aria-pressed", on ? "true" : "false");
    });
    deptSelect.value = state.dept;
    codeSelect.value = state.code;
    if (siteChip) {
      siteChip.hidden = !state.site;
      siteChip.textContent = state.site ? (data.sites[state.site] || state.site) + "  \u00d7" : "";
    }
    var heads = document.querySelectorAll("#nc-table th[data-sort]");
    Array.prototype.forEach.call(heads, function (th) {
      var active = th.getAttribute("data-sort") === state.sort;
      th.classList.toggle("asc", active && state.dir === 1);
      th.classList.toggle("desc", active && state.dir === -1);
    });
  }

  function setFilters(changes) {
    Object.keys(changes).forEach(function (k) { state[k] = changes[k]; });
    state.page = 0;
    render();
  }

  function resetAnd(changes) {
    search.value = "";
    setFilters(Object.assign({ family: "", severity: "", dept: "", code: "", site: "", q: "" }, changes));
  }

  function showTable() {
    var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.getElementById("findings").scrollIntoView({ behavior: calm ? "auto" : "smooth", block: "start" });
  }

  Array.prototype.forEach.call(document.querySelectorAll("#nc-filters .chip[data-filter]"), function (chip) {
    chip.addEventListener("click", function () {
      var name = chip.getAttribute("data-filter");
      var value = chip.getAttribute("data-value");
      var change = {};
      change[name] = state[name] === value ? "" : value;  // a second click clears the filter
      setFilters(change);
    });
  });
  deptSelect.addEventListener("change", function () { setFilters({ dept: deptSelect.value }); });
  codeSelect.addEventListener("change", function () { setFilters({ code: codeSelect.value }); });
  search.addEventListener("input", function () { setFilters({ q: search.value.trim().toLowerCase() }); });
  document.getElementById("nc-reset").addEventListener("click", function () { resetAnd({}); });
  if (siteChip) { siteChip.addEventListener("click", function () { setFilters({ site: "" }); }); }
  prev.addEventListener("click", function () { state.page -= 1; render(); });
  next.addEventListener("click", function () { state.page += 1; render(); });

  Array.prototype.forEach.call(document.querySelectorAll("#nc-table th[data-sort]"), function (th) {
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      render();
    });
  });

  // Links from the summary matrix, the department sections and the picture into the table.
  Array.prototype.forEach.call(document.querySelectorAll("[data-goto-family], [data-goto-dept]"), function (b) {
    b.addEventListener("click", function () {
      resetAnd({
        family: b.getAttribute("data-goto-family") || "",
        severity: b.getAttribute("data-goto-severity") || "",
        dept: b.getAttribute("data-goto-dept") || ""
      });
      showTable();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".picture .nc-site"), function (g) {
    g.addEventListener("click", function () {
      resetAnd({ site: g.getAttribute("data-site") || "" });
      showTable();
    });
  });

  // "Show all" buttons of long tables and lists: reveal the rest, once.
  Array.prototype.forEach.call(document.querySelectorAll("[data-reveal]"), function (b) {
    b.addEventListener("click", function () {
      document.getElementById(b.getAttribute("data-reveal")).hidden = false;
      b.hidden = true;
    });
  });

  render();
}());
