// django-celery-beat's periodic task form: under the crontab field, say in words when the chosen
// schedule runs. The package does this in an inline script, which the Content-Security-Policy
// refuses; templates/admin/djcelery/change_periodictask_form.html loads this file instead.
(function ($) {
  "use strict";
  var script = document.currentScript;
  var readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var original = script.getAttribute("data-crontab-help") || "";

  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    var help = $(".field-crontab .help");
    help.text(original);
    var translation = "Translation: " + readable[$("#id_crontab").val()];
    help.append(document.createElement("br"), document.createTextNode(translation));
  });
})(django.jQuery);
