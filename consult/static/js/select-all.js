// A "select all on this page" box above the queue's checkboxes; without it, the form's own
// "decide on all comments on this page" button does the same. Nothing is ever ticked in advance.
(function () {
  document.querySelectorAll("form[data-select-all]").forEach(function (form) {
    var boxes = Array.from(form.querySelectorAll("input[type=checkbox][name=comment_ids]"));
    if (!boxes.length) { return; }
    var label = form.getAttribute("data-select-all");
    var wrapper = document.createElement("p");
    var all = document.createElement("input");
    all.type = "checkbox";
    all.id = "select-all";
    var text = document.createElement("label");
    text.htmlFor = "select-all";
    text.textContent = " " + label;
    wrapper.appendChild(all);
    wrapper.appendChild(text);
    form.insertBefore(wrapper, form.querySelector("h2"));
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var ticked = boxes.filter(function (b) { return b.checked; }).length;
        all.checked = ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      });
    });
  });
})();
