// The new request's form shows only the fields of the chosen kind.
(function () {
  var kind = document.getElementById("kind");
  if (!kind) { return; }
  function show() {
    document.querySelectorAll(".helpdesk-kind").forEach(function (box) {
      box.hidden = box.dataset.kind !== kind.value;
    });
  }
  kind.addEventListener("change", show);
  show();
})();
