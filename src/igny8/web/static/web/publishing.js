// Publishing panels answer a refused form with 400 (bad input) or 409 (a conflict) and the form
// re-rendered with its errors inline; htmx does not swap error answers by default, so regions that
// opt in with data-swap-errors take them like any other answer.
(function () {
  "use strict";
  if (window.igny8PublishingLoaded) { return; }
  window.igny8PublishingLoaded = true;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 409) && target && target.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
