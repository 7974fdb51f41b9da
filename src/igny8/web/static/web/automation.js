// The rule editor's builder in the page: the trigger shows only its own fields, and the add /
// remove / move buttons (which without JavaScript submit the form and come back rebuilt by the
// server) act here instead; action cards can also be dragged by their handle. The inputs' order
// in the form is the order the server saves, so moving a card is all a reorder needs.
(function () {
  "use strict";

  function editor() { return document.querySelector("[data-rule-editor]"); }

  function announce(text) {
    var region = document.querySelector("[data-announce]");
    if (region) { region.textContent = text; }
  }

  function showTrigger() {
    var select = document.querySelector("[data-trigger-select]");
    if (!select) { return; }
    document.querySelectorAll("[data-trigger-for]").forEach(function (el) {
      el.hidden = el.getAttribute("data-trigger-for") !== select.value;
    });
  }

  function freshKey(nodes, attribute) {
    var max = -1;
    nodes.forEach(function (node) {
      var n = parseInt(node.getAttribute(attribute), 10);
      if (!isNaN(n) && n > max) { max = n; }
    });
    return String(max + 1);
  }

  function fromTemplate(selector, replacements) {
    var template = document.querySelector(selector);
    if (!template) { return null; }
    var html = template.innerHTML;
    Object.keys(replacements).forEach(function (key) { html = html.split(key).join(replacements[key]); });
    var holder = document.createElement("ol");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  function focusFirst(node) {
    var field = node && node.querySelector("select, input:not([type=hidden]), button");
    if (field) { field.focus(); }
  }

  function emptyHint() {
    var list = document.querySelector("[data-conditions]");
    var hint = document.querySelector("[data-empty-conditions]");
    if (list && hint) { hint.hidden = list.children.length > 0; }
  }

  function title(card) {
    var heading = card.querySelector(".action-title");
    return heading ? heading.firstChild.textContent.trim() : "Action";
  }

  function position(card) {
    return Array.prototype.indexOf.call(card.parentNode.children, card) + 1;
  }

  var ops = {
    "add-condition": function () {
      var list = document.querySelector("[data-conditions]");
      var row = fromTemplate("template[data-condition-template]", {
        "__I__": freshKey(list.querySelectorAll("[data-condition]"), "data-condition")
      });
      list.appendChild(row);
      focusFirst(row);
      announce("Condition added.");
    },
    "add-group": function () {
      var list = document.querySelector("[data-conditions]");
      var row = fromTemplate("template[data-group-template]", {
        "__I__": freshKey(list.querySelectorAll("[data-condition]"), "data-condition")
      });
      list.appendChild(row);
      focusFirst(row);
      announce("Group added.");
    },
    "add-child": function (button) {
      var group = button.closest("[data-condition]");
      var key = group.getAttribute("data-condition");
      var children = group.querySelector("[data-children-of]");
      var row = fromTemplate("template[data-child-template]", {
        "__I__": key,
        "__J__": freshKey(children.querySelectorAll("[data-child]"), "data-child")
      });
      children.appendChild(row);
      focusFirst(row);
      announce("Condition added to the group.");
    },
    "remove-condition": function (button) {
      button.closest("[data-condition]").remove();
      var add = document.querySelector("[data-op=add-condition]");
      if (add) { add.focus(); }
      announce("Removed.");
    },
    "remove-child": function (button) {
      var group = button.closest("[data-condition]");
      button.closest("[data-child]").remove();
      focusFirst(group);
      announce("Removed from the group.");
    },
    "add-action": function () {
      var type = document.getElementById("add-type").value;
      var list = document.querySelector("[data-actions]");
      var card = fromTemplate("template[data-action-template='" + type + "']", {
        "__K__": freshKey(list.querySelectorAll("[data-action]"), "data-action")
      });
      if (!card) { return; }
      list.appendChild(card);
      announce(title(card) + " added as action " + position(card) + ".");
    },
    "remove-action": function (button) {
      var card = button.closest("[data-action]");
      var name = title(card);
      card.remove();
      document.getElementById("add-type").focus();
      announce(name + " removed.");
    },
    "move-up": function (button) {
      var card = button.closest("[data-action]");
      if (card.previousElementSibling) { card.parentNode.insertBefore(card, card.previousElementSibling); }
      button.focus();
      announce(title(card) + " is now action " + position(card) + ".");
    },
    "move-down": function (button) {
      var card = button.closest("[data-action]");
      if (card.nextElementSibling) { card.parentNode.insertBefore(card.nextElementSibling, card); }
      button.focus();
      announce(title(card) + " is now action " + position(card) + ".");
    }
  };

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-op]");
    if (!button || !editor() || !editor().contains(button)) { return; }
    var op = ops[button.getAttribute("data-op")];
    if (!op) { return; }
    event.preventDefault();
    op(button);
    emptyHint();
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-trigger-select]")) { showTrigger(); }
  });

  // Drag and drop of action cards, started from the handle only (a draggable card would keep
  // its inputs from being selected with the mouse).
  var dragged = null;
  document.addEventListener("mousedown", function (event) {
    var handle = event.target.closest && event.target.closest(".drag-handle");
    if (handle) { handle.closest("[data-action]").draggable = true; }
  });
  document.addEventListener("mouseup", function () {
    if (dragged) { return; }
    document.querySelectorAll("[data-action][draggable=true]").forEach(function (card) { card.draggable = false; });
  });
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-action]");
    if (!card || !card.draggable) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-action"));
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var over = event.target.closest && event.target.closest("[data-action]");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) { return; }
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  document.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); }
  });
  document.addEventListener("dragend", function () {
    if (!dragged) { return; }
    dragged.classList.remove("dragging");
    dragged.draggable = false;
    announce(title(dragged) + " is now action " + position(dragged) + ".");
    dragged = null;
  });

  function start() { showTrigger(); emptyHint(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
