// Renders every Altair chart on the page with the vendored vega-embed (SVG: readable by
// assistive tech, sharp when zoomed). `ast: true` evaluates expressions with the bundled
// vega-interpreter, so the CSP needs no unsafe-eval. Without JavaScript the summary and data
// table remain.
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") { return; }
  document.querySelectorAll("[data-chart-spec]").forEach(function (container) {
    var source = document.getElementById(container.getAttribute("data-chart-spec"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(container, spec, { actions: false, renderer: "svg", ast: true })
      .then(function () { container.setAttribute("data-rendered", "true"); })
      .catch(function (error) { container.setAttribute("data-render-error", String(error)); });
  });
})();
