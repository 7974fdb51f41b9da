// The content page's Copy buttons: the text comes from a json_script element the server rendered
// (the same export the download buttons serve), so no inline script is needed under the CSP.
(function () {
  "use strict";
  if (window.igny8ExportLoaded) { return; }
  window.igny8ExportLoaded = true;

  function say(id, text) {
    var status = id && document.getElementById(id);
    if (status) { status.textContent = text; }
  }

  function fallbackCopy(text) {
    // Without the async clipboard (plain http, older browsers): a hidden textarea and execCommand.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    if (!source) { return; }
    var text = JSON.parse(source.textContent);
    var label = button.textContent.trim();
    var statusId = button.getAttribute("data-copy-done");
    var done = function () { say(statusId, label.replace(/^Copy /, "") + " copied to the clipboard."); };
    var failed = function () { say(statusId, "The browser refused the clipboard; use the download instead."); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { (fallbackCopy(text) ? done : failed)(); });
    } else {
      (fallbackCopy(text) ? done : failed)();
    }
  });
})();
