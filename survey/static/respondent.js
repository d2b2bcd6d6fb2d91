// The questionnaire works without this script; with it, conditional questions appear and
// disappear at once, pages save themselves in the background, and long texts count characters.
(function () {
  "use strict";
  var form = document.querySelector("form.questionnaire-form");

  function chosen(name) {
    var values = [];
    document.querySelectorAll('[name="' + name + '"]').forEach(function (field) {
      if ((field.type === "radio" || field.type === "checkbox") ? field.checked : field.value) {
        values.push(field.value);
      }
    });
    return values;
  }

  function applyConditions() {
    document.querySelectorAll("[data-show-if]").forEach(function (question) {
      var source = question.getAttribute("data-show-if");
      if (!document.querySelector('[name="' + source + '"]')) { return; }  // on another page
      var wanted = question.getAttribute("data-show-if-any").split(" ");
      var sourceBlock = document.getElementById("q-" + source);
      var visible = !(sourceBlock && sourceBlock.hidden) &&
        chosen(source).some(function (v) { return wanted.indexOf(v) !== -1; });
      question.hidden = !visible;
    });
  }

  // "Please specify" is only needed once "Other" is chosen (without scripts it stays shown).
  function applyOtherFields() {
    document.querySelectorAll(".other-text").forEach(function (box) {
      var field = box.querySelector("input");
      var question = field.name.slice(0, -".other".length);
      var chosenOther = chosen(question).indexOf("other") !== -1;
      box.hidden = !chosenOther && !field.value;
    });
  }

  function countCharacters(area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (out && max) { out.textContent = area.value.length + " / " + max; }
  }

  var pending = null;
  var status = document.querySelector(".autosave-status");
  function autosave() {
    if (!form || !window.fetch) { return; }
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-autosave"), {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (result) {
        if (result.ok) {
          form.querySelector('[name="lock_version"]').value = result.data.lock_version;
          status.textContent = status.getAttribute("data-saved-text");
        } else if (result.data.error === "conflict") {
          status.textContent = status.getAttribute("data-conflict-text");
        } else {
          status.textContent = status.getAttribute("data-failed-text");
        }
      })
      .catch(function () { status.textContent = status.getAttribute("data-failed-text"); });
  }
  function scheduleAutosave() {
    clearTimeout(pending);
    pending = setTimeout(autosave, 2000);
  }

  if (form) {
    form.querySelectorAll(".condition-note").forEach(function (note) {
      note.hidden = !!document.querySelector('[name="' + note.parentNode.getAttribute("data-show-if") + '"]');
    });
    form.addEventListener("change", function () {
      applyConditions();
      applyOtherFields();
      scheduleAutosave();
    });
    form.addEventListener("input", function (event) {
      if (event.target.hasAttribute("data-counter")) { countCharacters(event.target); }
      scheduleAutosave();
    });
    form.addEventListener("submit", function () { clearTimeout(pending); });
    form.querySelectorAll("[data-counter]").forEach(countCharacters);
    applyConditions();
    applyOtherFields();
  }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
