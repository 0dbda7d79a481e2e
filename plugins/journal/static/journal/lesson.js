// A lesson's form: "Принять" copies what a plugin proposes (the КТП's next topic) into the form.
document.querySelectorAll(".js-accept-suggestion").forEach(function (button) {
  button.addEventListener("click", function () {
    var box = button.closest(".lesson-suggestion");
    var form = box.parentElement.querySelector("form");
    form.elements.topic.value = box.dataset.topic;
    if (box.dataset.workType && form.elements.work_type) {
      form.elements.work_type.value = box.dataset.workType;
    }
    if (box.dataset.homework && !form.elements.homework.value) {
      form.elements.homework.value = box.dataset.homework;
    }
    form.elements.topic.focus();
  });
});
