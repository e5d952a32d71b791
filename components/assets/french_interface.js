/* French for Streamlit's and plotly's own interface strings, and a few markup repairs, in the
 * main page (see components/french_interface.py). Runs once per page load; a MutationObserver
 * catches what Streamlit draws later. Idempotent: French strings never match the English keys.
 */
(function () {
  "use strict";
  if (window.essaimFrench) { return; }
  var data = window.ESSAIM_FRENCH;
  var patterns = data.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  var ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title", "alt"];

  function translate(text) {
    var key = text.trim();
    if (!key) { return null; }
    if (Object.prototype.hasOwnProperty.call(data.exact, key)) {
      return text.replace(key, data.exact[key]);
    }
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(key)) { return text.replace(key, key.replace(patterns[i][0], patterns[i][1])); }
    }
    return null;
  }

  function fixAttributes(element) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = element.getAttribute(ATTRIBUTES[i]);
      if (value) {
        var french = translate(value);
        if (french !== null && french !== value) { element.setAttribute(ATTRIBUTES[i], french); }
      }
    }
  }

  function fixText(textNode) {
    var parent = textNode.parentElement;
    if (!parent || parent.closest("[translate='no'], script, style, .essaim-raw")) { return; }
    var french = translate(textNode.nodeValue);
    if (french !== null && french !== textNode.nodeValue) { textNode.nodeValue = french; }
  }

  /* Streamlit's sidebar navigation puts its items in DIV sections inside the UL list (axe-core:
   * list, listitem): the list semantics move to each section, whose heading is not an item. */
  function fixNavigation(root) {
    var lists = root.querySelectorAll ? root.querySelectorAll("ul[data-testid='stSidebarNavItems']") : [];
    lists.forEach(function (list) {
      list.setAttribute("role", "presentation");
      Array.prototype.forEach.call(list.children, function (child) {
        if (child.tagName === "LI") { return; }
        child.setAttribute("role", "list");
        var header = child.querySelector("header");
        if (header) {
          header.setAttribute("role", "presentation");
          var title = header.textContent.trim();
          if (title) { child.setAttribute("aria-label", title); }
        }
        Array.prototype.forEach.call(child.querySelectorAll(":scope > li"), function (item) {
          item.setAttribute("role", "listitem");
        });
      });
    });
  }

  /* Decorative icons: Streamlit labels them with their English icon name ("map icon"). */
  function fixIcons(root) {
    var icons = root.querySelectorAll ? root.querySelectorAll("[aria-label$=' icon']") : [];
    icons.forEach(function (icon) {
      icon.removeAttribute("aria-label");
      icon.setAttribute("aria-hidden", "true");
    });
  }

  /* A table's column menu (role "menu") holds a plain button (copy the column's name): axe-core
   * (aria-required-children) wants menu items only. */
  function fixMenus(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll("[role='menu'] button:not([role])") : [];
    buttons.forEach(function (button) { button.setAttribute("role", "menuitem"); });
  }

  function fixFrames(root) {
    var frames = root.querySelectorAll ? root.querySelectorAll("iframe[title^='streamlit_folium']") : [];
    frames.forEach(function (frame) { frame.setAttribute("title", "Carte interactive des territoires"); });
  }

  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) { return; }
    fixAttributes(root);
    root.querySelectorAll("*").forEach(fixAttributes);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) { fixText(node); }
    fixNavigation(root.parentElement || root);
    fixIcons(root);
    fixMenus(root.parentElement || root);
    fixFrames(root);
  }

  function fixTitle() {
    var french = translate(document.title);
    if (french !== null && french !== document.title) { document.title = french; }
  }

  window.essaimFrench = true;
  document.documentElement.setAttribute("lang", "fr");
  fixTree(document.body);
  fixTitle();
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      if (mutation.type === "attributes") { fixAttributes(mutation.target); }
      else if (mutation.type === "characterData") { fixText(mutation.target); }
      else { mutation.addedNodes.forEach(fixTree); }
    });
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ATTRIBUTES});
  new MutationObserver(fixTitle).observe(document.head, {subtree: true, childList: true, characterData: true});
}());
