// The comment form, made easier where scripts run (it works without them): a live count of the characters
// left in a text area with data-limit; and "organisation only" offered only with an organisation.
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
// "With my organisation's name only" cannot be chosen while speaking for oneself only; the server checks the
// same, so the form works without this.
(function () {
  var speaking = document.getElementById("organisation");
  var organisationOnly = document.querySelector("input[name=publication][value=organisation]");
  if (!speaking || !organisationOnly) { return; }
  function update() {
    organisationOnly.disabled = speaking.value === "0" && !organisationOnly.checked;
  }
  speaking.addEventListener("change", update);
  organisationOnly.addEventListener("change", update);
  update();
})();
