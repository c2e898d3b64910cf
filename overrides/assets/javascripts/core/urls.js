/*
 * OCR.urls: the one URL-mode contract for the site's scripts. A classic script; needs nothing
 * else. It is included (partials/core.html) as
 *
 *   <script src=".../assets/javascripts/ocr.js" data-urls="directory|file">
 *
 * (the bundle generator/bundle.py makes of the modules; in tests, core/urls.js itself).
 * data-urls is the build's use_directory_urls: "directory" (the web site: cpt/99213/) or
 * "file" (the offline bundle: cpt/99213.html). The site root is found from this script's own
 * address (it lives under assets/javascripts/), so every page, at any depth, agrees.
 *
 *   OCR.urls.site            URL of the site root
 *   OCR.urls.directoryUrls   true for "directory"
 *   OCR.urls.offline         true when the site is opened from file://
 *   OCR.urls.pageUrl(uri)    site-relative URL of a docs-tree file, as generator/sitefiles.py
 *                            page_url: "cpt/99213.md" -> "cpt/99213/" or "cpt/99213.html";
 *                            "index.md" -> "" or "index.html"; "x/index.md" -> "x/" or "x/index.html"
 *   OCR.urls.page(uri)       absolute href of that page; from file:// a folder URL gets
 *                            "index.html" (a browser does not open folders there)
 *   OCR.urls.href(url)       absolute href of a site-relative URL the build computed ("cpt/",
 *                            "about.html"), with the same file:// rule
 *   OCR.urls.record(folder, code)  absolute href of a record page: record("icd-10-cm", "E11.65")
 *   OCR.urls.asset(path)     absolute URL of a file under the site root ("search-index/")
 */
(function () {
  "use strict";

  var OCR = window.OCR = window.OCR || {};
  var script = document.currentScript;
  var SITE = new URL(script.src.replace(/assets\/javascripts\/.*$/, ""));   // the script is under assets/javascripts/
  var DIRECTORY = script.getAttribute("data-urls") !== "file";
  var OFFLINE = SITE.protocol === "file:";

  function pageUrl(uri) {
    var stem = uri.replace(/\.md$/, "");
    if (!DIRECTORY) return stem + ".html";
    if (stem === "index") return "";
    if (/\/index$/.test(stem)) return stem.slice(0, -5);
    return stem + "/";
  }

  function href(url) {
    var path = url === "./" ? "" : url;
    if (OFFLINE && (path === "" || /\/$/.test(path))) path += "index.html";
    return new URL(path, SITE).href;
  }

  OCR.urls = {
    site: SITE,
    directoryUrls: DIRECTORY,
    offline: OFFLINE,
    pageUrl: pageUrl,
    page: function (uri) { return href(pageUrl(uri)); },
    href: href,
    record: function (folder, code) { return href(pageUrl(folder + "/" + code + ".md")); },
    asset: function (path) { return new URL(path, SITE).href; }
  };
})();
