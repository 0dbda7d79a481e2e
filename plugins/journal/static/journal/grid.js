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

  // one obvious way in: what is typed in a mark's input may hold an absence, which goes to the
  // attendance input of the same cell. «н» absent, «н1»/«н2» absent for hours (a lesson has one
  // or two), «оп10» late; with a mark: «5н», «4н1», «3оп10», «н 5», and «н3»…«н5» (no lesson has
  // three hours, so the digit is a mark). Answers [absence or null, mark or null]; the plain
  // form's save splits the same way (plugins/journal/entry.py, whose CASES test both).
  var ABSENCE = "(н[12]?|оп\\d{1,2})";
  var MARK = "([2-5](?:/[2-5]){0,2})";
  var patterns = [[new RegExp("^" + ABSENCE + "$"), 1, 0],
    [new RegExp("^" + MARK + "\\s*" + ABSENCE + "$"), 2, 1],
    [new RegExp("^" + ABSENCE + "\\s+" + MARK + "$"), 1, 2],
    [/^(н)([3-5](?:\/[2-5]){0,2})$/, 1, 2]];
  function splitEntry(text) {
    var typed = text.trim().toLowerCase().replace(/n/g, "н");
    for (var i = 0; i < patterns.length; i += 1) {
      var found = patterns[i][0].exec(typed);
      if (found) { return [found[patterns[i][1]], patterns[i][2] ? found[patterns[i][2]] : null]; }
    }
    return [null, null];
  }
  window.ejournalSplitEntry = splitEntry;  // for the tests of what the grid understands
  var absencePlugin = null;  // the plugin whose shortcut types «н» (attendance)
  Object.keys(JSON.parse(table.dataset.shortcuts || "{}")).forEach(function (code) {
    var shortcut = JSON.parse(table.dataset.shortcuts)[code];
    if (shortcut[1] === "н") { absencePlugin = shortcut[0]; }
  });
  function absenceInput(input) {
    var td = lessonCellOf(input), found = null;
    if (!td || !absencePlugin || pluginOf(input) === absencePlugin) { return null; }
    Array.prototype.forEach.call(td.querySelectorAll("input.grid-input"), function (other) {
      if (pluginOf(other) === absencePlugin) { found = other; }
    });
    return found;
  }

  // a session that has ended (idle time-out): what was typed is kept in this browser and sent
  // once the user has signed in again, in this tab or another (the server is asked every few
  // seconds, only while something waits)
  var keptKey = "ejournal-grid-kept:" + saveUrl;
  function keptCells() {
    try { return JSON.parse(window.localStorage.getItem(keptKey) || "[]"); } catch (e) { return []; }
  }
  function storeKept(cells) {
    try {
      if (cells.length) { window.localStorage.setItem(keptKey, JSON.stringify(cells)); }
      else { window.localStorage.removeItem(keptKey); }
    } catch (e) { /* private mode: nothing to keep in */ }
  }
  var waiting = null;
  function keep(input, cell) {
    storeKept(keptCells().filter(function (other) { return other.field !== cell.field; }).concat([cell]));
    input.classList.add("cell-kept"); input.classList.remove("cell-error");
    status.textContent = "Сеанс завершён (долго не было действий). Введённое сохранено в этом браузере " +
      "(ячеек: " + keptCells().length + ") и будет отправлено, как только вы войдёте снова — можно в другой вкладке. ";
    var link = document.createElement("a");
    link.href = table.dataset.loginUrl; link.target = "_blank"; link.rel = "noopener";
    link.className = "signin-link"; link.textContent = "Войти в новой вкладке";
    status.appendChild(link);
    if (!waiting) { waiting = window.setInterval(resendKept, 4000); }
  }
  function resendKept() {
    var cells = keptCells();
    if (!cells.length) { if (waiting) { window.clearInterval(waiting); waiting = null; } return; }
    fetch(table.dataset.sessionUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) {
        if (!json || !json.csrf_token) { return; }
        token = json.csrf_token;
        document.querySelector('meta[name="csrf-token"]').content = token;
        var hidden = document.querySelector('#journal-grid-form input[name="csrf_token"]');
        if (hidden) { hidden.value = token; }
        if (waiting) { window.clearInterval(waiting); waiting = null; }
        storeKept([]);
        cells.forEach(function (cell) {
          var input = table.querySelector('input.grid-input[name="' + (window.CSS && CSS.escape ? CSS.escape(cell.field) : cell.field) + '"]');
          if (!input) { return; }
          input.value = cell.value;
          input.classList.remove("cell-kept");
          delete input.dataset.sent;
          save(input, false, cell.mark_type, true);
        });
      })
      .catch(function () { /* still no connection: try again later */ });
  }

  // retype: save the cell's unchanged value with the chooser's type (Alt+T); markType: the
  // type a kept cell was typed with; resent: a kept cell sent after signing in again
  function save(input, retype, markType, resent) {
    var absent = absenceInput(input);
    if (absent && !retype) {
      var parts = splitEntry(input.value);
      if (parts[0] !== null) {  // an absence typed in the mark's input goes to its own input
        absent.value = parts[0];
        input.value = parts[1] !== null ? parts[1] : shownOf(input);
        save(absent);
        if (parts[1] === null) { return; }
      }
    }
    if (!retype && shownOf(input).trim() === input.value.trim()) { return; }
    // Enter saves and moves on, and the move fires "change" too: send each value once
    if (!retype && input.dataset.sent === input.value) { return; }
    input.dataset.sent = input.value;
    var cell = {field: input.name, value: input.value};
    var chooser = typeChooser(input, pluginOf(input));
    if (markType) { cell.mark_type = markType; } else if (chooser) { cell.mark_type = chooser.value; }
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
          status.textContent = retype && saved.title ? "Сохранено: " + saved.title
            : resent ? "Сохранено после повторного входа" : "Сохранено";
          return;
        }
        if (code === 401) { keep(input, cell); return; }
        if (code === 400 && (waiting || keptCells().length)) { keep(input, cell); return; }
        if (code === 400) {
          // signed out already (in another tab)? the page's form token has gone with the session
          fetch(table.dataset.sessionUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) {
              if (response.status === 401) { keep(input, cell); } else { refused(input, code, json); }
            })
            .catch(function () { refused(input, code, json); });
          return;
        }
        refused(input, code, json);
      })
      .catch(function () { delete input.dataset.sent; input.classList.add("cell-error"); status.textContent = "Нет связи с сервером: оценка не сохранена"; });
  }

  // a refused cell: the reason on it and below the grid, the correction form's link if any
  function refused(input, code, json) {
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
  }

  var historyUrls = JSON.parse(table.dataset.historyUrls || "{}");
  var panel = document.getElementById("grid-history");
  var shortcuts = JSON.parse(table.dataset.shortcuts || "{}");
  // the cell's whole history: every plugin's changes of it (marks, attendance) in time order,
  // with the correction link of the plugin whose value was chosen (an input or a read-only
  // value), else of the first that offers one
  function showHistory(td, input, value) {
    var own = input ? pluginOf(input) : value && pluginOfValue(value);
    var plugins = Object.keys(historyUrls);
    if (!plugins.length || !panel || !td) { return; }
    var row = td.closest("tr"), index = Array.prototype.indexOf.call(row.children, td);
    var th = table.tHead.rows[0].children[index];
    if (!th || !th.dataset.lesson || !row.dataset.student) { return; }
    var query = "?lesson_id=" + th.dataset.lesson + "&student_id=" + row.dataset.student;
    Promise.all(plugins.map(function (plugin) {
      return fetch(historyUrls[plugin] + query, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {history: []}; })
        .then(function (json) { json.plugin = plugin; return json; });
    })).then(function (answers) {
        var body = panel.querySelector("tbody"), rows = [], link = null;
        answers.forEach(function (json) {
          rows = rows.concat(json.history || []);
          if (json.correction_url && (json.plugin === own || !link)) { link = json.correction_url; }
        });
        rows.sort(function (a, b) { return new Date(a.at) - new Date(b.at); });
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
          fix.hidden = !link;
          if (link) { fix.querySelector("a").href = link; }
        }
        var name = panel.querySelector(".cell-name");
        if (name) {
          var date = th.querySelector("a"), kind = th.querySelector("small");
          name.textContent = row.querySelector("th, td").textContent.trim() + ", " +
            (date ? date.textContent : "") + (kind ? " " + kind.textContent : "");
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
  // each input is named by its row and column and, where a cell has two, by its kind
  Array.prototype.forEach.call(table.querySelectorAll("tbody input.grid-input"), function (input) {
    if (document.getElementById("p-" + pluginOf(input))) {
      input.setAttribute("aria-labelledby", input.getAttribute("aria-labelledby") + " p-" + pluginOf(input));
    }
  });
  // a long name is cut to the column's width: its title shows it whole
  Array.prototype.forEach.call(table.querySelectorAll("tbody th.student"), function (th) {
    th.title = th.textContent;
  });
  // what a page whose session ended had kept: in its inputs again, sent now
  keptCells().forEach(function (cell) {
    var input = table.querySelector('input.grid-input[name="' + (window.CSS && CSS.escape ? CSS.escape(cell.field) : cell.field) + '"]');
    if (input) { input.value = cell.value; input.classList.add("cell-kept"); }
  });
  if (keptCells().length) { resendKept(); }
})();
