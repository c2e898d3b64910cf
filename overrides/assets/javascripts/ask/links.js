/*
 * Addresses the ask box links to (OCR.ask.Links): record pages, search and the ask-an-expert
 * form, in the site's URL mode: directory URLs ('icd-10-cm/E11/'), or file URLs
 * ('icd-10-cm/E11.html') in the offline bundle; from file:// a folder gets its index.html.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask = OCR.ask || {};
  var codes = OCR.codes;

  ask.Links = function (site, directoryUrls, store) {
    var offline = site.protocol === "file:";
    var links = this;

    this.href = function (path) {
      if (!directoryUrls) path = path.replace(/\/$/, ".html").replace(/^\.html$/, "index.html");
      else if (offline) path += (path === "" || /\/$/.test(path)) ? "index.html" : "";
      return new URL(path, site).href;
    };
    this.record = function (entry) {
      var m = store.manifest;
      var folder = entry.k === "m" ? m.folders.modifier : m.folders[entry.s];
      return links.href(folder + "/" + entry.c + "/");
    };
    // A code named in a note, resolved by generator/ask.py to kind c, r or m; '' is a code the
    // reference has no page for, which gets no link.
    this.ref = function (code, kind) {
      var m = store.manifest;
      if (kind === "m") return links.href(m.folders.modifier + "/" + code + "/");
      if (!kind) return null;
      var system = kind === "r" ? (m.ranges[code] || [])[1] : codes.systemOf(code);
      if (system === "hcpcs" && /\./.test(code)) system = "icd-10-cm";
      return system ? links.href(m.folders[system] + "/" + code + "/") : null;
    };
    this.search = function (text) { return links.href("search/") + "?q=" + encodeURIComponent(text); };
    this.expert = function (question, code, from) {
      var params = new URLSearchParams();
      if (code) params.set("code", code);
      if (question) params.set("q", question);
      if (from) params.set("from", from);
      return links.href("ask-an-expert/") + "?" + params.toString();
    };
  };
})(typeof window !== "undefined" ? window : globalThis);
