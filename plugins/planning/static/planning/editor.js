// The КТП editor: a table of inputs, moved through with the keyboard; a paste of many rows from
// a spreadsheet (tab-separated) fills the table from the focused cell; the whole plan is saved
// in one request, all or nothing, and the answer's problems are marked on their cells.
(function () {
  var table = document.getElementById("ktp-editor");
  if (!table) { return; }
  var COLUMNS = ["number", "section", "topic", "hours", "work_type", "self_study", "week"];
  var body = table.tBodies[0];
  var version = table.dataset.version;
  var errors = document.getElementById("ktp-errors");
  var saved = document.getElementById("ktp-saved");
  var dirty = false;

  function makeRow(values) {
    var tr = document.createElement("tr");
    COLUMNS.forEach(function (key) {
      var td = document.createElement("td");
      td.className = "c-" + key;
      var input = document.createElement("input");
      input.name = key;
      input.autocomplete = "off";
      if (key === "number") { input.readOnly = true; input.tabIndex = -1; }
      if (key === "hours" || key === "week") { input.inputMode = "numeric"; }
      if (key === "work_type") { input.setAttribute("list", "ktp-work-types"); }
      input.value = values && values[key] != null ? values[key] : "";
      td.appendChild(input);
      tr.appendChild(td);
    });
    var td = document.createElement("td");
    var remove = document.createElement("button");
    remove.type = "button"; remove.className = "btn btn-sm btn-link text-danger js-remove";
    remove.textContent = "×"; remove.title = table.dataset.delete;
    remove.setAttribute("aria-label", table.dataset.delete);
    td.appendChild(remove); tr.appendChild(td);
    return tr;
  }

  function renumber() {
    var total = 0;
    Array.prototype.forEach.call(body.rows, function (tr, index) {
      tr.querySelector("input[name=number]").value = index + 1;
      var hours = parseInt(tr.querySelector("input[name=hours]").value, 10);
      if (!isNaN(hours)) { total += hours; }
    });
    document.getElementById("ktp-total").textContent = total;
  }

  function addRow(after, values) {
    var tr = makeRow(values);
    if (after && after.nextSibling) { body.insertBefore(tr, after.nextSibling); } else { body.appendChild(tr); }
    renumber();
    return tr;
  }

  var initial = JSON.parse(table.dataset.rows || "[]");
  initial.forEach(function (row) { addRow(null, row); });
  if (!initial.length) { addRow(null, {}); }
  // the saved rows carry the kind of work's key; show its title
  var keys = JSON.parse(table.dataset.workTypes || "{}");
  Array.prototype.forEach.call(body.querySelectorAll("input[name=work_type]"), function (input) {
    if (keys[input.value]) { input.value = keys[input.value]; }
  });

  function focusCell(tr, column) {
    if (!tr) { return; }
    var input = tr.querySelector("input[name=" + column + "]");
    if (input) { input.focus(); input.select(); }
  }

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") { return; }
    var tr = input.closest("tr");
    var column = input.name;
    var index = COLUMNS.indexOf(column);
    if (event.key === "Enter") {
      event.preventDefault();
      // the next row's cell of the same column; past the last row, a new row of the same section
      var next = tr.nextElementSibling || addRow(tr, {section: tr.querySelector("input[name=section]").value});
      focusCell(next, column === "number" ? "topic" : column);
      dirty = true;
    } else if (event.key === "ArrowDown") {
      event.preventDefault(); focusCell(tr.nextElementSibling, column);
    } else if (event.key === "ArrowUp") {
      event.preventDefault(); focusCell(tr.previousElementSibling, column);
    } else if (event.key === "ArrowRight" && input.selectionStart === input.value.length && index < COLUMNS.length - 1) {
      event.preventDefault(); focusCell(tr, COLUMNS[index + 1]);
    } else if (event.key === "ArrowLeft" && input.selectionStart === 0 && input.selectionEnd === 0 && index > 1) {
      event.preventDefault(); focusCell(tr, COLUMNS[index - 1]);
    } else if (event.key === "Delete" && event.ctrlKey) {
      event.preventDefault(); removeRow(tr);
    }
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "ы")) {
      event.preventDefault(); save();
    }
  });

  function removeRow(tr) {
    var next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    if (!body.rows.length) { addRow(null, {}); }
    renumber(); dirty = true;
    focusCell(next || body.rows[0], "topic");
  }

  table.addEventListener("click", function (event) {
    var button = event.target.closest(".js-remove");
    if (button) { removeRow(button.closest("tr")); }
  });

  table.addEventListener("input", function (event) {
    dirty = true;
    event.target.classList.remove("is-invalid");
    if (event.target.name === "hours") { renumber(); }
  });

  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) { return; }
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    var tr = input.closest("tr");
    var start = COLUMNS.indexOf(input.name);
    lines.forEach(function (line, number) {
      if (number > 0) { tr = tr.nextElementSibling || addRow(tr, {}); }
      line.split("\t").forEach(function (value, offset) {
        var key = COLUMNS[start + offset];
        if (key && key !== "number") { tr.querySelector("input[name=" + key + "]").value = value.trim(); }
      });
    });
    renumber(); dirty = true;
    focusCell(tr, input.name === "number" ? "topic" : input.name);
  });

  // the rows the server counts (wholly empty ones are left out), with their table rows, so that
  // the answer's row numbers point at the right ones
  function filledRows() {
    var found = [];
    Array.prototype.forEach.call(body.rows, function (tr) {
      var row = {}, filled = false;
      COLUMNS.forEach(function (key) {
        if (key === "number") { return; }
        row[key] = tr.querySelector("input[name=" + key + "]").value;
        if (row[key].trim()) { filled = true; }
      });
      if (filled) { found.push({tr: tr, row: row}); }
    });
    return found;
  }

  function show(box, text) { box.textContent = text; box.classList.remove("d-none"); }

  function save() {
    errors.classList.add("d-none"); saved.classList.add("d-none");
    table.querySelectorAll(".is-invalid").forEach(function (input) { input.classList.remove("is-invalid"); });
    var filled = filledRows();
    fetch(table.dataset.saveUrl, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": table.dataset.csrf},
      body: JSON.stringify({rows: filled.map(function (item) { return item.row; }), version: version})})
      .then(function (response) { return response.json().then(function (json) { return [response.status, json]; }); })
      .then(function (result) {
        var code = result[0], json = result[1];
        if (code === 200) {
          version = String(json.version); dirty = false;
          document.querySelectorAll(".js-plan-version").forEach(function (field) { field.value = version; });
          document.getElementById("plan-hours").textContent = json.hours;
          var check = document.getElementById("hours-check");
          check.classList.toggle("alert-success", json.ok); check.classList.toggle("alert-danger", !json.ok);
          var listed = document.getElementById("hours-problems");
          listed.textContent = "";
          json.problems.forEach(function (text) {
            var line = document.createElement("div"); line.textContent = text; listed.appendChild(line);
          });
          document.getElementById("hours-note").classList.toggle("d-none", json.ok);
          show(saved, json.message);
          return;
        }
        var list = document.createElement("ul");
        list.className = "mb-0";
        (json.problems || []).forEach(function (problem) {
          var tr = filled[problem.row - 1] && filled[problem.row - 1].tr;
          var cell = tr && tr.querySelector("input[name=" + problem.column + "]");
          if (cell) { cell.classList.add("is-invalid"); cell.title = problem.message; }
          var item = document.createElement("li");
          item.textContent = (filled[problem.row - 1] ? filled[problem.row - 1].tr.querySelector("input[name=number]").value : problem.row) + ", «" + problem.title + "»: " + problem.message;
          list.appendChild(item);
        });
        errors.textContent = json.error || "";
        if (list.children.length) { errors.appendChild(list); }
        errors.classList.remove("d-none");
        var first = table.querySelector(".is-invalid");
        if (first) { first.focus(); }
      });
  }

  document.getElementById("ktp-save").addEventListener("click", save);
  document.getElementById("ktp-add").addEventListener("click", function () {
    focusCell(addRow(null, {}), "topic");
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = table.dataset.unsaved; }
  });
})();
