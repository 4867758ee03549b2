// posture HTML report: the findings filters (status, severity, baseline, search) and print
// expansion. Plain DOM, no libraries, nothing loaded; the report reads the same without it.
(function () {
  "use strict";

  var table = document.getElementById("findings-table");
  var filters = document.getElementById("findings-filters");
  if (table && filters && table.tBodies.length > 0) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    // The text of a row includes its folded evidence, so the search finds a user or a
    // policy named only in a violation.
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var boxes = Array.prototype.slice.call(filters.querySelectorAll('input[name="status"]'));
    var severity = document.getElementById("filter-severity");
    var baseline = document.getElementById("filter-baseline");
    var search = document.getElementById("filter-search");
    var count = document.getElementById("findings-count");
    var empty = document.getElementById("findings-empty");

    var apply = function () {
      var wanted = {};
      boxes.forEach(function (box) { wanted[box.value] = box.checked; });
      var least = Number(severity.value) || 0;
      var only = baseline.value;
      var words = search.value.toLowerCase().split(/\s+/).filter(function (w) { return w !== ""; });
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = wanted[row.getAttribute("data-status")] === true &&
          Number(row.getAttribute("data-severity")) >= least &&
          (only === "" || row.getAttribute("data-baselines").split(" ").indexOf(only) !== -1) &&
          words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) { shown++; }
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " findings";
      empty.hidden = shown !== 0;
    };

    boxes.forEach(function (box) { box.addEventListener("change", apply); });
    severity.addEventListener("change", apply);
    baseline.addEventListener("change", apply);
    search.addEventListener("input", apply);

    var setAll = function (open) {
      rows.forEach(function (row) {
        if (!row.hidden) {
          row.querySelectorAll("details").forEach(function (d) { d.open = open; });
        }
      });
    };
    document.getElementById("expand-all").addEventListener("click", function () { setAll(true); });
    document.getElementById("collapse-all").addEventListener("click", function () { setAll(false); });

    filters.hidden = false;
    apply();
  }

  // Print every finding unfolded: the stylesheet does it where the browser supports
  // ::details-content, and this does it everywhere else.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
}());
