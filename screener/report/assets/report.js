/* screener report: draws the charts (plotly.js, inlined) and the rows table from the JSON data block.
   Every value from the data goes into the page as text (textContent), never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var rows = data.rows;
  var bandRank = {};
  data.bands.forEach(function (b, i) { bandRank[b] = i; });
  var state = { band: "", list: "", rule: "", country: "", text: "", sort: "score", dir: -1, open: {} };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "class") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    });
    return node;
  }

  function bandBadge(band) {
    return el("span", { "class": "band b-" + (band || "none"), text: band || "error" });
  }

  /* ---------- charts ---------- */
  /* The charts of the first screen are drawn at once; the others one at a time afterwards, each in a task of
     its own, so the page answers the reader while they are drawn (and all are drawn before printing). */
  var FIRST_SCREEN = 3;
  var pendingCharts = data.charts.slice();

  function drawChart(c) {
    var node = document.getElementById(c.id);
    return node ? Plotly.newPlot(node, c.figure.data, c.figure.layout, data.config) : Promise.resolve();
  }

  function drawCharts() {
    if (typeof Plotly === "undefined") { return Promise.resolve(); }
    return Promise.all(pendingCharts.splice(0, FIRST_SCREEN).map(drawChart));
  }

  function drawLaterCharts() {
    if (typeof Plotly === "undefined" || !pendingCharts.length) {
      document.documentElement.setAttribute("data-charts", "done");
      return;
    }
    drawChart(pendingCharts.shift()).then(function () { setTimeout(drawLaterCharts, 0); }, chartFailed);
  }

  function chartFailed(err) {
    console.error("chart drawing failed: " + err);
  }

  window.addEventListener("beforeprint", function () {
    while (pendingCharts.length) { drawChart(pendingCharts.shift()); }
  });

  /* ---------- table ---------- */
  var columns = [
    { key: "toggle", label: "", sortable: false },
    { key: "n", label: "Row", num: true },
    data.hasId ? { key: "id", label: "ID" } : null,
    { key: "score", label: "Score", num: true },
    { key: "band", label: "Band" },
    { key: "text", label: "Text" },
    { key: "goods", label: "Goods" },
    { key: "controls", label: "Controls" },
    { key: "rules", label: "Rules" },
    { key: "places", label: "Places" },  // named in the text, and the destination column's value
    rows.some(function (r) { return r.parties.length || r.review.length; }) ? { key: "parties", label: "Parties" } : null
  ].filter(Boolean);

  function sortValue(r, key) {
    if (key === "band") { return bandRank[r.band] === undefined ? -1 : bandRank[r.band]; }
    var v = r[key];
    if (Array.isArray(v)) { return v.join("; ").toLowerCase(); }
    if (typeof v === "string") { return v.toLowerCase(); }
    return v === null || v === undefined ? -1 : v;
  }

  function compare(a, b) {
    var x = sortValue(a, state.sort), y = sortValue(b, state.sort);
    if (x < y) { return -state.dir; }
    if (x > y) { return state.dir; }
    return a.n - b.n;
  }

  function matches(r) {
    if (state.band && r.band !== state.band) { return false; }
    if (state.list && r.lists.indexOf(state.list) < 0) { return false; }
    if (state.rule && r.rules.indexOf(state.rule) < 0) { return false; }
    if (state.country && r.places.indexOf(state.country) < 0) { return false; }
    if (state.text) {
      var hay = [r.text, r.id || "", r.goods.join(" "), r.controls.join(" "), r.rules.join(" "), r.places.join(" "),
                 r.parties.join(" ")].join(" ").toLowerCase();
      var words = state.text.toLowerCase().split(/\s+/).filter(Boolean);
      for (var i = 0; i < words.length; i++) { if (hay.indexOf(words[i]) < 0) { return false; } }
    }
    return true;
  }

  function listCell(values) {
    return el("td", { "class": "list" }, [values.join("; ")]);
  }

  function rowNode(r) {
    var open = !!state.open[r.n];
    var tr = el("tr", { "class": "row" + (open ? " open" : ""), "data-n": String(r.n), "data-band": r.band || "",
                        "data-id": r.id || "" });
    columns.forEach(function (c) {
      var td;
      if (c.key === "toggle") {
        var btn = el("button", { type: "button", "class": "toggle", "aria-expanded": String(open),
                                 "aria-controls": "d-" + r.n, "aria-label": "Evidence of row " + r.n,
                                 text: open ? "\u25BE" : "\u25B8" });
        td = el("td", {}, [btn]);
      } else if (c.key === "band") {
        td = el("td", {}, [bandBadge(r.band)]);
      } else if (c.key === "text") {
        td = el("td", { "class": "text" }, [el("div", { text: r.text || r.error })]);
      } else if (c.key === "parties") {
        td = listCell(r.parties.concat(r.review));
      } else if (Array.isArray(r[c.key])) {
        td = listCell(r[c.key]);
      } else {
        td = el("td", { "class": c.num ? "num" : "", text: r[c.key] === null || r[c.key] === undefined ? "" : String(r[c.key]) });
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function section(title, body) {
    return el("div", {}, [el("h4", { text: title }), body]);
  }

  function smallTable(head, body) {
    var thead = el("thead", {}, [el("tr", {}, head.map(function (h) { return el("th", { scope: "col", text: h }); }))]);
    var tbody = el("tbody", {}, body.map(function (cells) {
      return el("tr", {}, cells.map(function (c) {
        if (Array.isArray(c)) {
          return el("td", {}, [el("ul", {}, c.map(function (x) { return el("li", { text: x }); }))]);
        }
        return el("td", { text: c === null || c === undefined ? "" : String(c) });
      }));
    }));
    return el("table", {}, [thead, tbody]);
  }

  function detailNode(r) {
    var d = r.d, S = data.strings;
    var box = el("div", { "class": "detail" });
    var text = el("p", { "class": "evidence-text" });
    d.seg.forEach(function (s) {
      if (!s[1].length) { text.appendChild(document.createTextNode(s[0])); return; }
      var kinds = {}, labels = [];
      s[1].forEach(function (i) { kinds["k-" + data.kinds[d.spans[i][1]]] = true; labels.push(S[d.spans[i][2]]); });
      text.appendChild(el("mark", { "class": Object.keys(kinds).join(" "), title: labels.join("\n"), text: s[0] }));
    });
    box.appendChild(section("Text with its findings highlighted", text));
    if (d.score !== r.score || d.band !== r.band) {
      box.appendChild(el("p", { "class": "rescreened", text: "Re-screened for this report: score " + d.score + ", band " +
        d.band + " (the file says " + r.score + ", " + r.band + ")." }));
    }
    if (d.spans.length) {
      box.appendChild(section("Highlighted spans", el("ul", {}, d.spans.map(function (x) {
        return el("li", { text: "\u201C" + x[0] + "\u201D \u2014 " + S[x[2]] });
      }))));
    }
    if (d.rules.length) {
      box.appendChild(section("Rules that fired", smallTable(["rule", "severity", "weight", "message", "evidence"],
        d.rules.map(function (x) {
          var meta = data.rules[x[0]] || {};
          return [x[0] + (meta.title ? ": " + meta.title : ""), meta.severity, meta.weight, x[1],
                  x[2].map(function (i) { return S[i]; })];
        }))));
    }
    if (d.codes.length) {
      box.appendChild(section("HS codes and their list entries", smallTable(["code", "origin", "description", "list entries", "from"],
        d.codes.map(function (c) {
          var ref = data.codes[c[0]] || ["", []];
          return [c[0], c[1], ref[0], ref[1].length ? ref[1] : ["not listed"], c[2]];
        }))));
    }
    if (d.goods.length) {
      box.appendChild(section("Goods", smallTable(["text", "goods", "category", "matcher", "HS"],
        d.goods.map(function (g) {
          var entry = data.entries[g[1]] || [g[1], "", []];
          return [g[0] + (g[4] ? " (negated or hypothetical: ignored by rules)" : ""), entry[0], entry[1],
                  g[2] + (g[2] === "fuzzy" && g[3] !== null ? " " + g[3] : ""), entry[2].join(", ")];
        }))));
    }
    if (d.places.length) { box.appendChild(section("Places named in the text", el("p", { text: d.places.join("; ") }))); }
    if (r.dest) { box.appendChild(section("Destination (column " + data.destColumn + ")", el("p", { text: r.dest }))); }
    var parties = r.parties.map(function (p) { return p + " (party column)"; })
      .concat(r.review.map(function (p) { return p + " (to review)"; }))
      .concat(d.parties.map(function (p) { return "\u201C" + p[0] + "\u201D \u2192 " + p[1] + " (" + p[2] + ")"; }));
    if (parties.length) { box.appendChild(section("Parties", el("ul", {}, parties.map(function (p) { return el("li", { text: p }); })))); }
    if (d.issues.length) { box.appendChild(section("Code issues", el("ul", {}, d.issues.map(function (p) { return el("li", { text: p }); })))); }
    var parts = Object.keys(d.parts).map(function (k) { return k + " " + d.parts[k]; });
    if (parts.length) { box.appendChild(section("Score parts", el("p", { text: parts.join(", ") }))); }
    return el("tr", { "class": "detail", id: "d-" + r.n }, [el("td", { colspan: String(columns.length) }, [box])]);
  }

  var byN = {};
  rows.forEach(function (r) { byN[r.n] = r; });
  var tbody = document.querySelector("#rows tbody");

  function render() {
    var visible = rows.filter(matches).sort(compare);
    var frag = document.createDocumentFragment();
    visible.forEach(function (r) {
      frag.appendChild(rowNode(r));
      if (state.open[r.n]) { frag.appendChild(detailNode(r)); }
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    var shown = document.getElementById("shown");
    shown.textContent = "Showing " + visible.length.toLocaleString("en") + " of " + rows.length.toLocaleString("en") +
      " rows in the table.";
    shown.setAttribute("data-count", String(visible.length));
  }

  function toggle(n) {
    var tr = tbody.querySelector('tr.row[data-n="' + n + '"]');
    if (!tr) { return; }
    var btn = tr.querySelector("button.toggle");
    if (state.open[n]) {
      delete state.open[n];
      var d = document.getElementById("d-" + n);
      if (d) { d.parentNode.removeChild(d); }
      tr.classList.remove("open");
    } else {
      state.open[n] = true;
      tr.parentNode.insertBefore(detailNode(byN[n]), tr.nextSibling);
      tr.classList.add("open");
    }
    btn.setAttribute("aria-expanded", String(!!state.open[n]));
    btn.textContent = state.open[n] ? "\u25BE" : "\u25B8";
  }

  tbody.addEventListener("click", function (e) {
    var tr = e.target.closest("tr.row");
    if (!tr) { return; }
    if (e.target.closest("button.toggle") || !window.getSelection().toString()) { toggle(Number(tr.getAttribute("data-n"))); }
  });

  function head() {
    var tr = document.getElementById("rows-head");
    columns.forEach(function (c) {
      var th = el("th", { scope: "col", "data-key": c.key, "class": c.num ? "num" : "" });
      if (c.key === "toggle") {
        th.appendChild(el("span", { "class": "visually-hidden", text: "Evidence" }));
      } else {
        var b = el("button", { type: "button", text: c.label, title: "Sort by " + c.label.toLowerCase() });
        b.addEventListener("click", function () {
          state.dir = state.sort === c.key ? -state.dir : (c.num || c.key === "band" ? -1 : 1);
          state.sort = c.key;
          markSort();
          render();
        });
        th.appendChild(b);
      }
      tr.appendChild(th);
    });
    markSort();
  }

  function markSort() {
    document.querySelectorAll("#rows-head th").forEach(function (th) {
      if (th.getAttribute("data-key") === state.sort) {
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  function counted(values) {
    var counts = {};
    values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    return counts;
  }

  function fill(id, values, order) {
    var counts = counted(values);
    var keys = order || Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var select = document.getElementById(id);
    keys.forEach(function (k) {
      select.appendChild(el("option", { value: k, text: k + " (" + (counts[k] || 0) + ")" }));
    });
    select.addEventListener("change", function () { state[id.slice(2)] = select.value; render(); });
  }

  function filters() {
    var minRank = bandRank[data.minBand] || 0;
    fill("f-band", rows.map(function (r) { return r.band; }),
         data.bands.filter(function (b) { return bandRank[b] >= minRank; }).reverse());
    fill("f-list", [].concat.apply([], rows.map(function (r) { return r.lists; })));
    fill("f-rule", [].concat.apply([], rows.map(function (r) { return r.rules; })));
    fill("f-country", [].concat.apply([], rows.map(function (r) { return r.places; })));
    var text = document.getElementById("f-text");
    var timer = null;
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.text = text.value.trim(); render(); }, 120);
    });
    document.getElementById("f-reset").addEventListener("click", function () {
      ["f-band", "f-list", "f-rule", "f-country"].forEach(function (id) { document.getElementById(id).value = ""; });
      text.value = "";
      state.band = state.list = state.rule = state.country = state.text = "";
      render();
    });
  }

  head();
  filters();
  render();
  drawCharts().then(function () {
    document.documentElement.setAttribute("data-ready", "1");
    setTimeout(drawLaterCharts, 0);
  }, function (err) {
    chartFailed(err);
    document.documentElement.setAttribute("data-ready", "1");
  });
})();
