// The progress modal's behaviour htmx cannot express: focus moves into it when it opens, Escape and
// the backdrop close it, and neither (nor the close button) works while its run is still going.
(function () {
  "use strict";
  var opener = null;

  function dialog() { return document.querySelector("#modal-root [role=dialog]"); }
  function busy(d) { return !!d.querySelector("[data-running]"); }

  function close() {
    var d = dialog();
    if (!d || busy(d)) { return; }
    var reload = !!d.querySelector("[data-finished]");
    document.getElementById("modal-root").innerHTML = "";
    // Finished work changed the rows behind the modal: show them.
    if (reload && d.dataset.reload !== "false") { window.location.reload(); return; }
    if (opener && document.contains(opener)) { opener.focus(); }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "modal-root") { opener = event.detail.elt; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "modal-root") {
      var d = dialog();
      if (d) { d.focus(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && dialog()) { event.preventDefault(); close(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-modal]")) { close(); return; }
    if (event.target.classList && event.target.classList.contains("backdrop")) { close(); }
  });
  // "Select all N matching": tick every box on the page too, and untick it when one is unticked.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("[data-check-page]")) {
      box.form.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = box.checked; });
    } else if (box.matches("input[name=ids]") && !box.checked) {
      var all = box.form.querySelector("[name=select_all]");
      if (all) { all.checked = false; }
    } else if (box.matches("[name=select_all]") && box.checked) {
      box.form.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = true; });
    }
  });
  // Live character counts for fields that declare a limit.
  document.addEventListener("input", function (event) {
    var field = event.target;
    var counter = field.id && document.querySelector("[data-count-for='" + field.id + "']");
    if (counter) { counter.textContent = field.value.length + " / " + field.getAttribute("maxlength"); }
  });
})();
