// The progress modal's behaviour htmx cannot express: focus moves into it when it opens and stays
// inside it (Tab cycles), Escape and the backdrop close it, and neither (nor the close button) works
// while its run is still going. Closing it after a run it watched has ended reloads the page, so the
// rows behind it (thumbnails, new clusters...) show the run's work; otherwise focus returns to the
// control that opened it. Status changes of a run are read out through a polite live region.
(function () {
  "use strict";
  var opener = null;
  var watchedRun = false; // this modal showed a run that was still going
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

  function dialog() { return document.querySelector("#modal-root [role=dialog]"); }
  function busy(d) { return !!d.querySelector("[data-running]"); }
  // Work that goes on while the modal may still be closed (bulk publishing): reload after it too.
  function watching(d) { return !!d.querySelector("[data-watch]"); }
  function focusables(d) {
    return Array.prototype.filter.call(d.querySelectorAll(FOCUSABLE), function (el) {
      return el.offsetParent !== null || el === document.activeElement;
    });
  }

  function close() {
    var d = dialog();
    if (!d || busy(d)) { return; }
    var reload = (watchedRun || watching(d)) && !!d.querySelector("[data-finished], [data-watch]") &&
      d.dataset.reload !== "false";
    document.getElementById("modal-root").innerHTML = "";
    watchedRun = false;
    if (reload) { window.location.reload(); return; }
    if (opener && document.contains(opener)) { opener.focus(); } else { document.getElementById("main").focus(); }
  }

  function announce(progress) {
    var region = progress.parentElement && progress.parentElement.querySelector("[data-announcer]");
    var text = progress.getAttribute("data-announce-text") || "";
    if (region && region.textContent !== text) { region.textContent = text; }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "modal-root" && !event.detail.elt.closest("#modal-root")) {
      opener = event.detail.elt;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var d = dialog();
    if (target && target.id === "modal-root" && d) {
      watchedRun = watchedRun || busy(d) || watching(d);
      d.focus();
    }
    var progress = document.getElementById("run-progress");
    if (progress) {
      if (d && d.contains(progress) && progress.hasAttribute("data-running")) { watchedRun = true; }
      announce(progress);
    }
    // A polled swap replaced the focused control: keep focus inside the open modal.
    if (d && !d.contains(document.activeElement)) { d.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var d = dialog();
    if (!d) { return; }
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    if (event.key !== "Tab") { return; }
    var items = focusables(d);
    if (!items.length) { event.preventDefault(); d.focus(); return; }
    var first = items[0], last = items[items.length - 1], active = document.activeElement;
    if (event.shiftKey && (active === first || active === d || !d.contains(active))) {
      event.preventDefault(); last.focus();
    } else if (!event.shiftKey && (active === last || !d.contains(active))) {
      event.preventDefault(); first.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-modal]")) { close(); return; }
    if (event.target.classList && event.target.classList.contains("backdrop")) { close(); }
  });
  // "Select all N matching": tick every box on the page too, and untick it when one is unticked.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.form) { return; }
    if (box.matches("[data-check-page]")) {
      box.form.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = box.checked; });
    } else if (box.matches("input[name=ids]") && !box.checked) {
      var all = box.form.querySelector("[name=select_all]");
      if (all) { all.checked = false; }
    } else if (box.matches("[name=select_all]") && box.checked) {
      box.form.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = true; });
    }
  });
  // The account and site switchers submit as soon as a choice is made (an inline onchange would
  // break the page's Content-Security-Policy); without JavaScript their <noscript> button does it.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.requestSubmit();
    }
  });
  // Progress bars: the filled width follows aria-valuenow. It is set here through the style
  // property because the Content-Security-Policy refuses style="" attributes in the markup. Done on
  // afterSwap, before the browser paints the polled fragment, so the bar does not flash empty.
  function paintBars() {
    document.querySelectorAll(".bar[aria-valuenow] > span").forEach(function (span) {
      var value = parseFloat(span.parentElement.getAttribute("aria-valuenow")) || 0;
      value = Math.max(0, Math.min(100, value));
      span.style.width = value + "%";
    });
  }
  document.addEventListener("htmx:afterSwap", paintBars);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", paintBars);
  } else {
    paintBars();
  }
  // Live character counts for fields that declare a limit.
  document.addEventListener("input", function (event) {
    var field = event.target;
    var counter = field.id && document.querySelector("[data-count-for='" + field.id + "']");
    if (counter) { counter.textContent = field.value.length + " / " + field.getAttribute("maxlength"); }
  });
})();

// Phones: the main navigation folds behind the Menu button (<= 600 px; see app.css). The class on
// <html> says the button works, so without JavaScript the navigation simply stays open.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-menu-toggle]");
    if (!button) { return; }
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (nav) { nav.classList.toggle("open", open); }
  });
  document.addEventListener("keydown", function (event) {
    var button = document.querySelector("[data-menu-toggle][aria-expanded='true']");
    if (event.key === "Escape" && button && !document.querySelector("#modal-root [role=dialog]")) {
      button.click();
      button.focus();
    }
  });
})();

// Every action that waits for the server says so: the button that sent an htmx request is disabled
// and shows a spinner until the answer arrives (buttons with their own hx-disabled-elt keep theirs).
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var button = elt.matches && elt.matches("button") ? elt : (trigger && trigger.submitter) || null;
    if (!button || button.disabled || elt.hasAttribute("hx-disabled-elt")) { return; }
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.classList.add("is-waiting");
    var done = function () {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      button.classList.remove("is-waiting");
      elt.removeEventListener("htmx:afterRequest", done);
    };
    elt.addEventListener("htmx:afterRequest", done);
  });
})();
