// Keyboard entry in the journal grid: arrows, Tab and Enter move; Enter or leaving a changed
// cell saves it through the journal's JSON endpoint. Without JavaScript the grid is a plain form.
(function () {
  "use strict";
  var table = document.getElementById("journal-grid");
  if (!table) { return; }
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var status = document.getElementById("grid-status");

  function inputsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("input.grid-input")); }
  function cellIndex(input) { return Array.prototype.indexOf.call(input.closest("tr").children, input.closest("td")); }
  function inputAt(row, index) {
    var cell = row && row.children[index];
    return cell ? cell.querySelector("input.grid-input") : null;
  }
  function move(input, dRow, dCol) {
    var row = input.closest("tr"), index = cellIndex(input), target = null;
    if (dRow !== 0) {
      var next = dRow > 0 ? row.nextElementSibling : row.previousElementSibling;
      while (next && !(target = inputAt(next, index))) { next = dRow > 0 ? next.nextElementSibling : next.previousElementSibling; }
    } else {
      var inputs = inputsOf(row), at = inputs.indexOf(input);
      target = inputs[at + dCol] || null;
    }
    if (target) { target.focus(); target.select(); }
  }
  // one save URL for every plugin's cells; an input's name is the server's (built and parsed
  // in grid_html.py): it is posted as it is and replaced by the name the server answers
  var saveUrl = table.dataset.saveUrl;
  function pluginOf(input) { return input.dataset.plugin; }
  // a read-only value (the td itself or an i in it, see grid_html.py) names its plugin and its
  // title by number in the list of pairs the table carries once; the titles go in place at once
  var kinds = JSON.parse(table.dataset.kinds || "[]");
  function valueOf(element) { return element.closest && element.closest("td[data-k], i[data-k]"); }
  function pluginOfValue(value) { return (kinds[value.dataset.k] || [])[0]; }
  Array.prototype.forEach.call(table.querySelectorAll("[data-k]"), function (value) {
    var title = (kinds[value.dataset.k] || [])[1];
    if (title) { value.title = title; }
  });
  function lessonCellOf(element) {
    var td = element.closest && element.closest("td");
    return td && td.closest("tbody") && !td.classList.contains("column") ? td : null;
  }
  // the value the input's name was given for: a save sends only a value changed from it
  function shownOf(input) { return input.defaultValue; }

  // a refused past cell: the correction form, filled in for that cell, one click away
  function offerCorrection(url) {
    var link = document.createElement("a");
    link.href = url;
    link.className = "ms-2 correction-link";
    link.textContent = table.dataset.correctionLabel || "Исправление";
    status.appendChild(document.createTextNode(" "));
    status.appendChild(link);
  }

  // the lesson header's type chooser of a plugin's cells (a mark's kind of work), if any
  function typeChooser(input, plugin) {
    var td = lessonCellOf(input);
    if (!td) { return null; }
    var th = table.tHead.rows[0].children[Array.prototype.indexOf.call(td.closest("tr").children, td)];
    return th ? th.querySelector('select.lesson-type[data-plugin="' + plugin + '"]') : null;
  }

  // retype: save the cell's unchanged value with the chooser's type (Alt+T)
  function save(input, retype) {
    if (!retype && shownOf(input).trim() === input.value.trim()) { return; }
    // Enter saves and moves on, and the move fires "change" too: send each value once
    if (!retype && input.dataset.sent === input.value) { return; }
    input.dataset.sent = input.value;
    var cell = {field: input.name, value: input.value};
    var chooser = typeChooser(input, pluginOf(input));
    if (chooser) { cell.mark_type = chooser.value; }
    fetch(saveUrl, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({cells: [cell]})})
      .then(function (response) { return response.json().then(function (json) { return [response.status, json]; }); })
      .then(function (result) {
        var code = result[0], json = result[1];
        delete input.dataset.sent;
        if (code === 200) {
          var saved = json.cells[0] || {};
          input.value = saved.value !== undefined ? saved.value : input.value;
          if (saved.field) { input.name = saved.field; }
          input.defaultValue = input.value;
          input.classList.remove("cell-error"); input.classList.add("cell-saved");
          input.title = saved.title || "";
          // a retyped mark says its new type, so Alt+T's answer is not just "saved"
          status.textContent = retype && saved.title ? "Сохранено: " + saved.title : "Сохранено";
          return;
        }
        var detail = (json.cells && json.cells[0]) || {};
        input.classList.add("cell-error"); input.classList.remove("cell-saved");
        input.title = detail.message || json.message || "Ошибка";
        status.textContent = input.title;
        if (detail.correction_url) { offerCorrection(detail.correction_url); }
        if (code === 409 && detail.current && detail.field) {
          // what the user typed stays in the input, to be saved over the value there is now
          var typed = input.value;
          input.name = detail.field;
          input.defaultValue = detail.current.value || "";
          input.value = typed;
        }
      })
      .catch(function () { delete input.dataset.sent; input.classList.add("cell-error"); status.textContent = "Нет связи с сервером: оценка не сохранена"; });
  }

  var historyUrls = JSON.parse(table.dataset.historyUrls || "{}");
  var panel = document.getElementById("grid-history");
  var shortcuts = JSON.parse(table.dataset.shortcuts || "{}");
  // the history of the plugin whose value was chosen (an input, or a read-only value)
  function showHistory(td, input, value) {
    var own = input ? pluginOf(input) : value && pluginOfValue(value);
    var plugin = own && historyUrls[own] ? own : Object.keys(historyUrls)[0];
    if (!plugin || !panel || !td) { return; }
    var row = td.closest("tr"), index = Array.prototype.indexOf.call(row.children, td);
    var th = table.tHead.rows[0].children[index];
    if (!th || !th.dataset.lesson || !row.dataset.student) { return; }
    var url = historyUrls[plugin] + "?lesson_id=" + th.dataset.lesson + "&student_id=" + row.dataset.student;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (json) {
        var body = panel.querySelector("tbody"), rows = json.history || [];
        body.textContent = "";
        rows.forEach(function (change) {
          var tr = document.createElement("tr");
          // the college's time, wherever the browser is
          [new Date(change.at).toLocaleString("ru-RU", {timeZone: table.dataset.timezone}),
           change.old, change.new, change.who,
           change.reason, change.approved_by].forEach(function (value) {
            var cell = document.createElement("td");
            cell.textContent = value || "—";
            tr.appendChild(cell);
          });
          body.appendChild(tr);
        });
        panel.querySelector(".empty").hidden = rows.length > 0;
        var fix = panel.querySelector(".correction");
        if (fix) {
          fix.hidden = !json.correction_url;
          if (json.correction_url) { fix.querySelector("a").href = json.correction_url; }
        }
        var name = panel.querySelector(".cell-name");
        if (name) {
          name.textContent = row.querySelector("th, td").textContent.trim() + ", " +
            th.innerText.replace(/\s+/g, " ").trim();
        }
        panel.hidden = false;
      });
  }
  if (panel) {
    panel.querySelector(".btn-close").addEventListener("click", function () { panel.hidden = true; });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { panel.hidden = true; }
    });
  }
  table.addEventListener("dblclick", function (event) {
    var input = event.target.classList.contains("grid-input") ? event.target : null;
    showHistory(lessonCellOf(event.target), input, valueOf(event.target));
  });

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.altKey && (event.key === "h" || event.key === "H" || event.key === "р" || event.key === "Р")) {
      event.preventDefault();
      showHistory(lessonCellOf(input), input);
      return;
    }
    if (event.altKey && event.code === "KeyT" && input.classList && input.classList.contains("grid-input")) {
      var chooser = typeChooser(input, pluginOf(input));
      if (chooser) {
        event.preventDefault();
        chooser.selectedIndex = (chooser.selectedIndex + 1) % chooser.options.length;
        var option = chooser.options[chooser.selectedIndex];
        status.textContent = "Вид оценки: " + (option.title || option.text);
        if (input.value.trim() !== "" && shownOf(input).trim() === input.value.trim()) { save(input, true); }
        return;
      }
    }
    var shortcut = event.altKey && shortcuts[event.code];
    if (shortcut && input.closest) {
      var td = lessonCellOf(input), target = null;
      Array.prototype.forEach.call(td ? td.querySelectorAll("input.grid-input") : [], function (other) {
        if (pluginOf(other) === shortcut[0]) { target = other; }
      });
      if (target) {
        event.preventDefault();
        target.value = shortcut[1];
        save(target);
        return;
      }
    }
    if (!input.classList || !input.classList.contains("grid-input")) { return; }
    var keys = {ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0]};
    if (event.key === "ArrowLeft" && input.selectionStart === 0) { keys.ArrowLeft = [0, -1]; }
    if (event.key === "ArrowRight" && input.selectionEnd === input.value.length) { keys.ArrowRight = [0, 1]; }
    var step = keys[event.key];
    if (!step) { return; }
    event.preventDefault();
    save(input);
    move(input, step[0], step[1]);
  });
  table.addEventListener("change", function (event) {
    if (event.target.classList.contains("grid-input")) { save(event.target); }
  });
})();
