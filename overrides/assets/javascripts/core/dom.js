/*
 * OCR.el: the one element helper. A classic script; needs nothing else.
 *
 *   OCR.el(tag, attrs, children) -> Element
 *     attrs     object or null. "text" sets textContent; "class" the class attribute; any other
 *               key is set with setAttribute; a value null, undefined or false is skipped.
 *     children  array (or null): strings become text nodes, nodes are appended, null, undefined
 *               and false are skipped.
 *   OCR.el("span", "cc-result__title", "Diabetes")  also works: a string in place of attrs is
 *     the class, a string in place of children is the text (search.js's el(tag, cls, text)).
 *
 * Text from a reader or a record only ever reaches the page through textContent or text nodes:
 * never innerHTML.
 */
(function () {
  "use strict";

  var OCR = window.OCR = window.OCR || {};

  OCR.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    if (typeof attrs === "string") attrs = { "class": attrs };
    if (typeof children === "string" || typeof children === "number") children = [String(children)];
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    });
    (children || []).forEach(function (c) {
      if (c == null || c === false) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  };
})();
