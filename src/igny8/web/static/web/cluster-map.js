// The cluster map (a scatter of keyword positions, one colour per cluster) and the per-cluster
// volume / difficulty bars, drawn with the vendored Chart.js from the page's json_script data.
// Clicking a dot or a bar opens its cluster. The charts are kept on window.igny8Charts so tests
// (and the console) can reach them.
(function () {
  "use strict";

  function clusterUrl(template, id) { return template.replace(/\/0\/$/, "/" + id + "/"); }
  function shortName(name) { return name.length > 28 ? name.slice(0, 27) + "…" : name; }

  function mapChart(canvas, data) {
    var focus = canvas.getAttribute("data-focus");
    var template = canvas.getAttribute("data-cluster-url");
    var datasets = data.clusters.map(function (c) {
      var focused = String(c.id) === focus;
      return {
        label: c.name, clusterId: c.id, data: [], backgroundColor: c.colour, borderColor: c.colour,
        pointRadius: focused ? 5 : 3, pointHoverRadius: 7,
      };
    });
    data.points.forEach(function (p) { datasets[p[2]].data.push({ x: p[0], y: p[1], keyword: p[3] }); });
    var narrow = window.matchMedia("(max-width: 760px)").matches;
    return new window.Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false,
        // Coordinates are scaled to [-1, 1]; a margin keeps the outermost dots whole.
        scales: { x: { display: false, min: -1.1, max: 1.1 }, y: { display: false, min: -1.1, max: 1.1 } },
        plugins: {
          legend: { display: !narrow && datasets.length <= 20, position: "right" },
          tooltip: { callbacks: { label: function (ctx) { return ctx.raw.keyword + " · " + ctx.dataset.label; } } },
        },
        onClick: function (event, elements) {
          if (elements.length) { window.location.href = clusterUrl(template, datasets[elements[0].datasetIndex].clusterId); }
        },
      },
    });
  }

  function barChart(canvas, data, field, label, colour, template) {
    // One bar row per cluster: a few clusters make a short chart, thirty a tall one.
    canvas.parentElement.style.height = Math.max(160, 24 * data.chart.length + 60) + "px";
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.chart.map(function (c) { return shortName(c.name); }),
        datasets: [{ label: label, data: data.chart.map(function (c) { return c[field]; }), backgroundColor: colour }],
      },
      options: {
        indexAxis: "y", animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { title: function (items) { return data.chart[items[0].dataIndex].name; } } } },
        scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false, font: { size: 11 } } } },
        onClick: function (event, elements) {
          if (elements.length) { window.location.href = clusterUrl(template, data.chart[elements[0].index].id); }
        },
      },
    });
  }

  function init() {
    var source = document.getElementById("cluster-map-data");
    var canvas = document.getElementById("cluster-map");
    if (!source || !canvas || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var template = canvas.getAttribute("data-cluster-url");
    Array.prototype.forEach.call(document.querySelectorAll(".swatch[data-colour]"), function (el) {
      el.style.backgroundColor = el.getAttribute("data-colour");
    });
    window.igny8Charts = {
      map: mapChart(canvas, data),
      volume: barChart(document.getElementById("cluster-volume"), data, "volume", "Search volume", "#0072B2", template),
      difficulty: barChart(document.getElementById("cluster-difficulty"), data, "avg_difficulty", "Avg. difficulty", "#D55E00", template),
    };
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
