// The article editor: Quill (vendored, static/web/vendor/quill) edits the body and writes its HTML
// back into the form's textarea, which is what is posted (without JavaScript the textarea is the
// editor). As you type, the side panel asks the server for the score and term counts (debounced;
// POST score/, nothing saved) and the length hints follow each field.
(function () {
  "use strict";
  var DEBOUNCE_MS = 400;

  function hint(field) {
    var counter = document.querySelector("[data-length-for='" + field.id + "']");
    if (!counter) { return; }
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var ideal = counter.getAttribute("data-ideal");
    var length = field.value.length;
    counter.textContent = length + " / " + limit + (ideal ? " (" + ideal.replace("-", "–") + " is best)" : "") +
      (length > limit ? ": " + (length - limit) + " too many, shorten it to save" : "");
    counter.classList.toggle("error", length > limit);
  }

  function row(term) {
    var tr = document.createElement("tr");
    tr.className = term.met ? "term-met" : "term-short";
    tr.setAttribute("data-term", term.term);
    [term.term, term.source, term.count + " / " + term.target].forEach(function (text, index) {
      var td = document.createElement("td");
      td.textContent = text;
      if (index === 2) { td.setAttribute("data-term-count", ""); }
      tr.appendChild(td);
    });
    return tr;
  }

  function linkItems(found) {
    if (!found.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = "No link targets found in the text yet.";
      return [none];
    }
    return found.map(function (link) {
      var li = document.createElement("li");
      li.setAttribute("data-link-kind", link.kind);
      li.appendChild(document.createTextNode("“" + link.anchor + "” → " + link.title + " "));
      var note = document.createElement("small");
      note.className = "muted";
      note.textContent = link.kind === "page" ? "existing page" :
        (link.published ? "published article" : "article not published yet: linked once both are");
      li.appendChild(note);
      return li;
    });
  }

  function render(panel) {
    document.querySelector("[data-score-total]").textContent = panel.score.total;
    var checks = document.querySelector("[data-score-checks]");
    checks.replaceChildren.apply(checks, panel.score.checks.map(function (check) {
      var li = document.createElement("li");
      li.setAttribute("data-check", check.key);
      var points = document.createElement("span");
      points.className = "points";
      points.textContent = check.points + "/" + check.max_points;
      li.appendChild(points);
      li.appendChild(document.createTextNode(" " + check.detail));
      return li;
    }));
    var terms = document.querySelector("[data-terms]");
    if (panel.terms.length) { terms.replaceChildren.apply(terms, panel.terms.map(row)); }
    var links = document.querySelector("[data-editor-links]");
    if (links) { links.replaceChildren.apply(links, linkItems(panel.links || [])); }
    document.querySelector("[data-score-state]").textContent = "As published: " + panel.words + " words, " +
      panel.published_adds.images + " image(s) placed, " + panel.published_adds.internal_links +
      " internal link(s) the linker adds.";
  }

  function start() {
    var form = document.getElementById("editor-form");
    if (!form) { return; }
    var source = form.querySelector("[data-editor-source]");
    var mount = document.getElementById("editor-mount");
    var timer = null;
    var pending = null;

    function refresh() {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var state = document.querySelector("[data-score-state]");
      state.setAttribute("aria-busy", "true");
      fetch(form.getAttribute("data-score-url"), {
        method: "POST", body: new FormData(form), credentials: "same-origin", signal: pending.signal,
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (panel) {
        render(panel);
        state.removeAttribute("aria-busy");
      }).catch(function (error) {
        if (error.name === "AbortError") { return; }
        state.removeAttribute("aria-busy");
        state.textContent = "The score could not be updated (" + error.message + "); it will be on save.";
      });
    }

    function changed() {
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    }

    if (source && mount && window.Quill) {
      var quill = new window.Quill(mount, {
        theme: "snow",
        modules: {
          toolbar: [[{ header: [2, 3, 4, false] }], ["bold", "italic", "link"],
            [{ list: "ordered" }, { list: "bullet" }], ["blockquote"], ["clean"]]
        }
      });
      quill.clipboard.dangerouslyPasteHTML(source.value || "");
      mount.hidden = false;
      source.closest(".field").hidden = true;
      quill.on("text-change", function () {
        // Quill 2.0.3's semantic HTML writes every space as &nbsp;: plain spaces are what is meant.
        source.value = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
        changed();
      });
      window.igny8Editor = quill;  // the browser tests type into it
    }
    form.addEventListener("input", function (event) {
      if (event.target.id) { hint(event.target); }
      if (event.target.name) { changed(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
