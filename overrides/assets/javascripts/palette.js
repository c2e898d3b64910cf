/*
 * The blocking part of the header (partials/javascripts/palette.html), run before the page
 * paints and before Material's script mounts its components:
 * - the palette toggle, made in the empty form partials/palette.html leaves (it only works
 *   with JavaScript, so pages do not carry its inputs and labels);
 * - data-account="in" on <html> when the ocr_account hint cookie says the reader has an account,
 *   so the header shows Log out instead of Log in and Register from the first paint;
 * - Material's own palette script (which Material inlines on every page), unchanged.
 */
(function () {
  "use strict";
  // Material's palette options as mkdocs.yml declares them (theme.palette), here once rather than
  // on every page; tests/test_bundle.py fails when the two disagree.
  // Each: [media, scheme, primary, accent, toggle name, icon].
  var OPTIONS = [
    ["(prefers-color-scheme: light)", "default", "indigo", "teal", "Switch to dark mode", "night"],
    ["(prefers-color-scheme: dark)", "slate", "indigo", "teal", "Switch to light mode", "sunny"]
  ];
  var form = document.querySelector("form[data-md-component=palette]");
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  if (form) {
    var options = OPTIONS;
    options.forEach(function (o, i) {
      var input = el("input", { "class": "md-option", "data-md-color-media": o[0], "data-md-color-scheme": o[1],
                                "data-md-color-primary": o[2], "data-md-color-accent": o[3],
                                type: "radio", name: "__palette", id: "__palette_" + i });
      input.setAttribute(o[4] ? "aria-label" : "aria-hidden", o[4] || "true");
      form.appendChild(input);
      if (!o[4]) return;
      var label = el("label", { "class": "md-header__button md-icon", title: o[4], "for": "__palette_" + ((i + 1) % options.length), hidden: "" });
      label.appendChild(el("i", { "class": "ocr-icon ocr-icon--" + o[5] }));   // as partials/icon.html
      form.appendChild(label);
    });
  }
  if (/(?:^|;\s*)ocr_account=(registered|subscriber)(?:;|$)/.test(document.cookie)) {
    document.documentElement.setAttribute("data-account", "in");
  }
})();
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
