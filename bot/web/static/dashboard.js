// The leaders' dashboard: where the period stands and its figures, the charts drawn here as
// SVG (no chart library, nothing fetched). Every text comes from the server
// (bot/texts/dashboard.py) and is set with textContent, never parsed as HTML.
"use strict";

(function () {
  var K = window.Kinerja;
  var $ = K.$, el = K.el;
  var SVG = "http://www.w3.org/2000/svg";  // the SVG namespace: a name, never fetched
  var WIDTH = 340;
  var state = { page: null };

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function section(id, title) {
    var box = el("section", { id: id, "class": "panel", "aria-labelledby": id + "-title" });
    box.appendChild(el("h2", { id: id + "-title" }, title));
    $("sections").appendChild(box);
    return box;
  }

  function none(box) { box.appendChild(el("p", { "class": "hint" }, state.page.texts.none)); }

  // Horizontal bars, one a row: the label (and a note, if any) above, the bar and its figure
  // below. rows: [{label, note, value (number or null), text, low}]; floor: a dashed line.
  function bars(box, title, rows, floor) {
    var top = Math.max(100, floor || 0);
    rows.forEach(function (r) { if (r.value !== null && r.value > top) { top = r.value; } });
    var scale = (WIDTH - 64) / top;
    var y = 4;
    var chart = svg("svg", { role: "img", "aria-label": title, "class": "chart" });
    chart.appendChild(svg("title", {}, title));
    rows.forEach(function (r) {
      chart.appendChild(svg("text", { x: 0, y: y + 11, "class": "label" }, r.label));
      if (r.note) {
        y += 15;
        chart.appendChild(svg("text", { x: 0, y: y + 11, "class": "note" }, r.note));
      }
      var w = r.value === null ? 0 : Math.max(1, r.value * scale);
      chart.appendChild(svg("rect", {
        x: 0, y: y + 15, width: w.toFixed(1), height: 14, rx: 2, "class": r.low ? "bar low" : "bar"
      }));
      chart.appendChild(svg("text", { x: (w + 4).toFixed(1), y: y + 27, "class": "fig" }, r.text));
      y += 36;
    });
    if (floor) {
      var x = (floor * scale).toFixed(1);
      chart.appendChild(svg("line", { x1: x, x2: x, y1: 0, y2: y, "class": "floor" }));
    }
    chart.setAttribute("viewBox", "0 0 " + WIDTH + " " + (y + 4));
    box.appendChild(chart);
  }

  function renderUnits(page) {
    var box = section("units", page.texts.units_title);
    var list = el("ul", { "class": "rows" });
    page.units.forEach(function (u) {
      var item = el("li", { "class": u.late ? "late" : "" });
      item.appendChild(el("strong", {}, u.name));
      item.appendChild(el("span", {}, " — " + u.state));
      if (u.waiting) {
        item.appendChild(el("p", { "class": "hint" }, u.waiting + " (" + page.texts.taken + " " +
          u.taken + "; " + page.texts.standard + " " + u.standard + ")" +
          (u.late ? " · " + page.texts.late : "")));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function renderSteps(page) {
    var box = section("steps", page.texts.steps_title);
    if (!page.steps.length) { return none(box); }
    // Each run's working time as a share of its standard: the dashed line is the standard.
    bars(box, page.texts.steps_title, page.steps.map(function (s) {
      return {
        label: s.name + " · " + s.unit,
        note: s.taken + " / " + page.texts.standard + " " + s.standard,
        value: Math.min(s.share * 100, 300),
        text: page.texts[s.status],
        low: s.status === "late"
      };
    }), 100);
  }

  function renderFigures(page) {
    var t = page.texts;
    var units = page.units.concat([{
      name: t.agency, capaian: page.agency.capaian, absorption: page.agency.absorption,
      predikat: page.agency.predikat
    }]);
    var box = section("capaian", t.capaian_title);
    bars(box, t.capaian_title, units.map(function (u) {
      return {
        label: u.name, note: u.predikat, value: u.capaian.value, text: u.capaian.text,
        low: u.capaian.value !== null && u.capaian.value < 76
      };
    }), 76);
    box = section("absorption", t.absorption_title);
    bars(box, t.absorption_title, units.map(function (u) {
      return { label: u.name, value: u.absorption.value, text: u.absorption.text, low: false };
    }));
  }

  // Per unit, a bar split by how its indicators moved, judged by each one's direction.
  function renderTrend(page) {
    var t = page.texts;
    var box = section("trend", t.trend_title);
    var kinds = ["improved", "worsened", "steady", "no_base"];
    var height = page.trend.length * 36 + 8;
    var chart = svg("svg", {
      viewBox: "0 0 " + WIDTH + " " + height, role: "img", "aria-label": t.trend_title,
      "class": "chart"
    });
    chart.appendChild(svg("title", {}, t.trend_title));
    page.trend.forEach(function (row, i) {
      var y = i * 36 + 4;
      var total = kinds.reduce(function (sum, k) { return sum + row[k]; }, 0) || 1;
      var x = 0;
      chart.appendChild(svg("text", { x: 0, y: y + 11, "class": "label" }, row.unit));
      kinds.forEach(function (k) {
        var w = row[k] / total * WIDTH;
        if (w > 0) {
          chart.appendChild(svg("rect", {
            x: x.toFixed(1), y: y + 15, width: w.toFixed(1), height: 14, "class": "seg " + k
          }));
        }
        x += w;
      });
    });
    box.appendChild(chart);
    var legend = el("ul", { "class": "legend" });
    page.trend.forEach(function (row) {
      legend.appendChild(el("li", {}, row.unit + ": " + kinds.map(function (k) {
        return row[k] + " " + t[k];
      }).join(", ")));
    });
    box.appendChild(legend);
  }

  function renderSeries(page) {
    var t = page.texts;
    var box = section("series", t.series_title);
    var rows = [];
    page.series.forEach(function (p) {
      rows.push({ label: p.label + " · " + t.capaian, value: p.capaian.value, text: p.capaian.text });
      rows.push({
        label: p.label + " · " + t.absorption, value: p.absorption.value, text: p.absorption.text
      });
    });
    bars(box, t.series_title, rows, 76);
  }

  function renderLists(page) {
    var t = page.texts;
    var box = section("below", t.below_title);
    if (!page.below.length) { none(box); }
    var list = el("ul", { "class": "rows" });
    page.below.forEach(function (b) {
      list.appendChild(el("li", {}, b.name + " (" + b.unit + "): " + b.capaian.text));
    });
    box.appendChild(list);
    box = section("follow-ups", t.follow_ups_title);
    if (!page.follow_ups.length) { none(box); }
    list = el("ul", { "class": "rows" });
    page.follow_ups.forEach(function (f) {
      var item = el("li", {}, f.text);
      item.appendChild(el("p", { "class": "hint" }, f.unit + " · " + f.period + " · " + f.open));
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function render(page, lead, failed) {
    state.page = page;
    var t = page.texts;
    document.title = page.title;
    $("title").textContent = page.title;
    $("status").textContent = lead || "";
    $("status").className = "status" + (failed ? " error" : "");
    $("summary").textContent = page.state;
    $("summary").hidden = false;
    $("decision-title").textContent = t.decision_title;
    $("decision-lead").textContent = page.decision ? page.decision.lead : "";
    K.decisionLabels(t, !!page.decision);
    $("sections").textContent = "";
    renderUnits(page);
    renderSteps(page);
    renderFigures(page);
    renderTrend(page);
    renderSeries(page);
    renderLists(page);
  }

  function load(lead, failed) {
    return K.load("api/dashboard", function (page) { render(page, lead, failed); });
  }

  K.decisions("api/lead_decide", function (decision, reason) {
    return {
      request: K.requestId(), version: state.page.decision.version, decision: decision,
      reason: reason
    };
  }, function () { return state.page.texts; }, load);
  K.start(function () { load(""); });
})();
