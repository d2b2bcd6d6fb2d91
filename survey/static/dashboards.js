/* Draw every chart of an organiser page with Plotly.
   Each figure is JSON in a <script type="application/json" id="fig-KEY"> block (data, never
   run), so the page needs no inline script and keeps its Content-Security-Policy. Charts are
   drawn one after the other, so that a page with many keeps answering while it draws.
   Plotly's default template, the same for every figure, is sent once a page (in
   <script type="application/json" id="chart-template">) and put in each figure here. */
(function () {
  "use strict";

  function targets() {
    return Array.prototype.slice.call(document.querySelectorAll(".chart[data-figure]"));
  }

  function draw(target) {
    var source = document.getElementById(target.getAttribute("data-figure"));
    if (!source || target.getAttribute("data-drawn")) { return Promise.resolve(); }
    var spec = JSON.parse(source.textContent);
    var template = document.getElementById("chart-template");
    if (template && !spec.figure.layout.template) {
      // Parsed for each figure: Plotly keeps the template in the chart's layout.
      spec.figure.layout.template = JSON.parse(template.textContent);
    }
    target.setAttribute("data-drawn", "1");
    return window.Plotly.newPlot(target, spec.figure.data, spec.figure.layout, spec.config)
      .then(function () { if (resizer) { resizer.observe(target); } });
  }

  // A chart follows its box's width (a scroll bar appearing, a window resized): drawn at the
  // old width, it would stick out, on the left of a right-to-left page.
  var resizer = window.ResizeObserver ? new window.ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var target = entry.target;
      if (target._lastWidth !== entry.contentRect.width) {
        target._lastWidth = entry.contentRect.width;
        window.Plotly.Plots.resize(target);
      }
    });
  }) : null;

  function drawAll() {
    if (!window.Plotly) { return; }
    var queue = targets();
    function next() {
      var target = queue.shift();
      if (!target) { document.documentElement.setAttribute("data-charts-drawn", "1"); return; }
      draw(target).then(function () { window.requestAnimationFrame(next); }, next);
    }
    next();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
