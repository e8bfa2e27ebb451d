// 汇总表格排序：点击表头按该列排序，再点一次反向。取单元格的 data-value（没有则取文字）。
// 不引用任何外部资源；页面的 Content-Security-Policy 只允许本站脚本。
(function () {
  "use strict";
  function value(row, index, numeric) {
    var cell = row.children[index];
    if (!cell) return numeric ? -Infinity : "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (!numeric) return raw;
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }
  function sort(table, th, index) {
    var numeric = th.getAttribute("data-sort") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        if (!th.hasAttribute("data-sort")) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.title = "按此列排序";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () { sort(table, th, index); });
      });
    });
  });
})();
