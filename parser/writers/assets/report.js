// Side list: scroll the clicked task (or flag) into view and flash it.
(function () {
  "use strict";
  document.querySelectorAll("aside a[data-target]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var el = document.getElementById(link.getAttribute("data-target"));
      if (!el) { return; }
      event.preventDefault();
      el.scrollIntoView({ block: "start" });
      if (history.replaceState) { history.replaceState(null, "", "#" + encodeURIComponent(el.id)); }
      el.classList.add("flash");
      setTimeout(function () { el.classList.remove("flash"); }, 1500);
    });
  });
})();

// Corrections: a reviewer corrects a task (move a unit to another role, add or remove a
// unit, fix a milestone's date, mark it as not a task); "Save corrections" downloads them
// as a small JSON file keyed by the notice's content hash and the task key, which
// `notice-parser parse/batch --corrections FILE` applies on top of the parser's output.
// No server: the data comes from a data attribute, the file from a Blob download.
(function () {
  "use strict";
  var holder = document.getElementById("np-data");
  var panel = document.getElementById("editor");
  var saveButton = document.getElementById("save-corrections");
  var counter = document.getElementById("n-corrections");
  if (!holder || !panel || !saveButton) { return; }
  var data = JSON.parse(holder.getAttribute("data-editor"));
  var roles = data.roles;
  var ops = data.corrections || {};
  var tasks = {};
  data.tasks.forEach(function (t) { tasks[t.key] = t; });
  var rejected = {};
  Object.keys(ops).forEach(function (key) {
    ops[key].forEach(function (op) { if (op.op === "not_a_task") { rejected[key] = true; } });
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function count() {
    var n = 0;
    Object.keys(ops).forEach(function (k) { n += ops[k].length; });
    return n;
  }

  function changed() {
    var n = count();
    counter.textContent = n + (n === 1 ? " correction" : " corrections");
    saveButton.disabled = n === 0;
  }

  function record(key, op) {
    (ops[key] = ops[key] || []).push(op);
    changed();
  }

  function findUnit(task, role, name) {
    var list = task.units[role];
    for (var i = 0; i < list.length; i++) { if (list[i].name === name) { return i; } }
    return -1;
  }

  function unitRow(task, role, unit) {
    var row = el("li", { "class": "unit-row", "data-role": role, "data-unit": unit.name });
    row.appendChild(el("span", { "class": "name" + (unit.corrected ? " corrected" : "") }, unit.name));
    var select = el("select", { "class": "role", "aria-label": "role of " + unit.name });
    roles.forEach(function (r) {
      var option = el("option", { value: r }, r);
      if (r === role) { option.selected = true; }
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      var i = findUnit(task, role, unit.name);
      if (i < 0) { return; }
      var moved = task.units[role].splice(i, 1)[0];
      moved.corrected = true;
      task.units[select.value].push(moved);
      record(task.key, { op: "move", unit: unit.name, role: role, to: select.value });
      open(task.key);
    });
    row.appendChild(select);
    var remove = el("button", { type: "button", "class": "remove", "aria-label": "remove " + unit.name }, "remove");
    remove.addEventListener("click", function () {
      var i = findUnit(task, role, unit.name);
      if (i < 0) { return; }
      task.units[role].splice(i, 1);
      record(task.key, { op: "remove", unit: unit.name, role: role });
      open(task.key);
    });
    row.appendChild(remove);
    return row;
  }

  function addForm(task) {
    var form = el("form", { "class": "add-unit" });
    var name = el("input", { type: "text", name: "unit", placeholder: "unit as written", required: "required" });
    var full = el("input", { type: "text", name: "full", placeholder: "full official name (optional)" });
    var role = el("select", { name: "role", "aria-label": "role of the new unit" });
    roles.forEach(function (r) { role.appendChild(el("option", { value: r }, r)); });
    form.appendChild(name);
    form.appendChild(full);
    form.appendChild(role);
    form.appendChild(el("button", { type: "submit" }, "add unit"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var written = name.value.trim();
      if (!written) { return; }
      var op = { op: "add", unit: written, role: role.value };
      if (full.value.trim()) { op.full = full.value.trim(); }
      task.units[role.value].push({ name: written, text: written, corrected: true });
      record(task.key, op);
      open(task.key);
    });
    return form;
  }

  function dateRow(task, index, milestone) {
    var row = el("li", { "class": "milestone-row" });
    row.appendChild(el("span", { "class": "kind" }, milestone ? milestone.kind + (milestone.text ? " · " + milestone.text : "") : "new date"));
    var input = el("input", { type: "date", "class": "date", "data-milestone": String(index),
                              "aria-label": "date of milestone " + index });
    if (milestone && milestone.date) { input.value = milestone.date; }
    input.addEventListener("change", function () {
      if (!input.value || (milestone && milestone.date === input.value)) { return; }
      if (milestone) {
        milestone.date = input.value;
        milestone.corrected = true;
      } else {
        task.milestones.push({ kind: "by", date: input.value, text: null, corrected: true });
      }
      record(task.key, { op: "date", milestone: index, date: input.value });
      open(task.key);
    });
    row.appendChild(input);
    return row;
  }

  function open(key) {
    var task = tasks[key];
    if (!task) { return; }
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    var head = el("div", { "class": "editor-head" });
    head.appendChild(el("h2", {}, "Correct task " + (task.number || task.id)));
    var close = el("button", { type: "button", "class": "close", "aria-label": "close" }, "×");
    close.addEventListener("click", function () { panel.hidden = true; });
    head.appendChild(close);
    panel.appendChild(head);
    panel.appendChild(el("p", { "class": "key" }, task.key));
    panel.appendChild(el("p", { "class": "label" }, task.label));
    roles.forEach(function (role) {
      panel.appendChild(el("h3", {}, role));
      var list = el("ul", { "class": "units", "data-role": role });
      task.units[role].forEach(function (u) { list.appendChild(unitRow(task, role, u)); });
      panel.appendChild(list);
    });
    panel.appendChild(addForm(task));
    panel.appendChild(el("h3", {}, "deadline"));
    var dates = el("ul", { "class": "milestones" });
    task.milestones.forEach(function (m, i) { dates.appendChild(dateRow(task, i, m)); });
    if (!task.milestones.length) { dates.appendChild(dateRow(task, 0, null)); }
    panel.appendChild(dates);
    var label = el("label", { "class": "not-a-task" });
    var box = el("input", { type: "checkbox", name: "not_a_task" });
    box.checked = !!rejected[key];
    box.addEventListener("change", function () {
      rejected[key] = box.checked;
      if (box.checked) {
        record(key, { op: "not_a_task" });
      } else {
        ops[key] = (ops[key] || []).filter(function (op) { return op.op !== "not_a_task"; });
        changed();
      }
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" not a task"));
    panel.appendChild(label);
    panel.dataset.key = key;
    panel.hidden = false;
  }

  document.querySelectorAll("aside button.edit[data-key]").forEach(function (button) {
    button.addEventListener("click", function () { open(button.getAttribute("data-key")); });
  });

  saveButton.addEventListener("click", function () {
    var notices = {};
    var kept = {};
    Object.keys(ops).forEach(function (k) { if (ops[k].length) { kept[k] = ops[k]; } });
    notices[data.sha256] = { source: data.source, title: data.title, tasks: kept };
    var text = JSON.stringify({ format: data.format, notices: notices }, null, 2) + "\n";
    var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    var link = el("a", { href: url, download: data.file });
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  changed();
})();
