// The forecast on the journal's grid: hovering over (or focusing) a cell of the term's final
// column shows the student's expected final, its range, the risk and the reasons. The feed is
// fetched once, on the first hover, so the grid's own page stays as it is.
(function () {
  "use strict";
  var script = document.currentScript;
  var feedUrl = script && script.dataset.feed;
  var table = document.getElementById("journal-grid");
  var header = document.getElementById("c-term_final");
  if (!feedUrl || !table || !header) return;
  var index = Array.prototype.indexOf.call(header.parentNode.children, header);
  var feed = null, loading = null;
  var box = document.createElement("div");
  box.className = "forecast-popover card shadow-sm small p-2";
  box.setAttribute("role", "tooltip");
  box.id = "forecast-popover";
  box.hidden = true;
  box.style.position = "absolute";
  box.style.zIndex = 1080;
  box.style.maxWidth = "26rem";
  document.body.appendChild(box);
  header.title = script.dataset.hint || "";

  function load() {
    if (!loading) {
      loading = fetch(feedUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { feed = data; return data; })
        .catch(function () { return null; });
    }
    return loading;
  }

  function cellOf(node) {
    var td = node && node.closest ? node.closest("td, th") : null;
    if (!td || !table.contains(td)) return null;
    var row = td.parentNode;
    if (!row.dataset || !row.dataset.student) return null;
    return row.children[index] === td ? td : null;
  }

  function show(td) {
    var sid = td.parentNode.dataset.student;
    load().then(function (data) {
      var found = data && data.students[sid];
      if (!found) { box.hidden = true; return; }
      box.textContent = "";
      var title = document.createElement("div");
      title.className = "fw-bold";
      title.textContent = data.title + ": " + found.expected + (found.risk_title ? " · " + found.risk_title : "");
      box.appendChild(title);
      var list = document.createElement("ul");
      list.className = "mb-0 ps-3";
      found.reasons.forEach(function (reason) {
        var item = document.createElement("li");
        item.textContent = reason;
        list.appendChild(item);
      });
      box.appendChild(list);
      var rect = td.getBoundingClientRect();
      box.hidden = false;
      var left = window.scrollX + rect.left - box.offsetWidth - 8;
      if (left < window.scrollX + 4) left = window.scrollX + rect.right + 8;
      box.style.left = left + "px";
      box.style.top = (window.scrollY + rect.top) + "px";
      td.setAttribute("aria-describedby", box.id);
    });
  }

  function hide() { box.hidden = true; }

  table.addEventListener("mouseover", function (event) {
    var td = cellOf(event.target);
    if (td) show(td);
  });
  table.addEventListener("mouseout", function (event) {
    var td = cellOf(event.target);
    if (td && !td.contains(event.relatedTarget)) hide();
  });
  table.addEventListener("focusin", function (event) {
    var td = cellOf(event.target);
    if (td) show(td); else hide();
  });
})();
