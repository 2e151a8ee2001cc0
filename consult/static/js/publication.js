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
