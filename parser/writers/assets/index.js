// Sort the index table by the clicked column (numbers as numbers, text by locale).
(function () {
  "use strict";
  var table = document.getElementById("notices");
  if (!table) { return; }
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.getAttribute("data-type") === "number";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-value") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-value") || b.cells[col].textContent;
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    });
  });
})();
