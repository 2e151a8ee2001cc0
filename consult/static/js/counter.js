// A live count of the characters left in a text area with data-limit; the form works without it.
(function () {
  document.querySelectorAll("[data-counter-for]").forEach(function (output) {
    var field = document.getElementById(output.getAttribute("data-counter-for"));
    if (!field || !field.dataset.limit) { return; }
    var limit = parseInt(field.dataset.limit, 10);
    var template = document.documentElement.getAttribute("data-counter-text") || "%(used)s / %(limit)s";
    function update() {
      var used = Array.from(field.value).length;
      output.textContent = template.replace("%(used)s", used.toLocaleString()).replace("%(limit)s", limit.toLocaleString());
      output.classList.toggle("error-message", used > limit);
    }
    field.addEventListener("input", update);
    update();
  });
})();
