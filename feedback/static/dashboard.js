/* Draws each chart from the JSON figure beside its table (the table is the accessible
   version; charts are hidden from screen readers) and adds a download-as-SVG button. */
(function () {
  "use strict";
  if (!window.Plotly) return;

  Array.prototype.forEach.call(document.querySelectorAll("[data-figure-for]"), function (box) {
    var data = document.getElementById(box.dataset.figureFor);
    if (!data) return;
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot(box, figure.data, figure.layout, {
      staticPlot: true, responsive: true, displayModeBar: false
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button chart-download";
    button.textContent = box.dataset.downloadLabel;
    button.addEventListener("click", function () {
      window.Plotly.downloadImage(box, { format: "svg", filename: box.dataset.figureFor });
    });
    box.insertAdjacentElement("afterend", button);
  });
})();
