/*
 * Addresses the ask box links to (OCR.ask.Links): record pages, search, the Ask page and the
 * ask-an-expert form, through the site's one URL-mode contract (OCR.urls, core/urls.js):
 * directory URLs on the web site, .html files in the offline bundle, index.html from file://.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask = OCR.ask || {};
  var codes = OCR.codes;

  ask.Links = function (urls, store) {
    var links = this;
    function folder(system) { return store.manifest.folders[system]; }

    // A site-relative URL the build computed in the site's URL mode (topics).
    this.href = function (url) { return urls.href(url); };
    this.code = function (system, code) { return urls.record(folder(system), code); };
    this.record = function (entry) {
      return urls.record(entry.k === "m" ? codes.modifierFolder : folder(entry.s), entry.c);
    };
    // A code named in a note, resolved by generator/ask.py to kind c, r or m; '' is a code the
    // reference has no page for, which gets no link.
    this.ref = function (code, kind) {
      if (kind === "m") return urls.record(codes.modifierFolder, code);
      if (!kind) return null;
      var system = kind === "r" ? (store.manifest.ranges[code] || [])[1]
        : (codes.readings(code).filter(function (r) { return folder(r[0]); })[0] || [])[0];
      return system ? urls.record(folder(system), code) : null;
    };
    this.search = function (text) { return urls.page("search.md") + "?q=" + encodeURIComponent(text); };
    this.ask = function (question) { return urls.page("ask.md") + "?q=" + encodeURIComponent(question); };
    this.expert = function (question, code, from) {
      var params = new URLSearchParams();
      if (code) params.set("code", code);
      if (question) params.set("q", question);
      if (from) params.set("from", from);
      return urls.page("ask-an-expert.md") + "?" + params.toString();
    };
  };
})(typeof window !== "undefined" ? window : globalThis);
