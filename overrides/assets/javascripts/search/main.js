/*
 * Search, part 6 of 6: the header box and the results page (content/search.md), started once
 * the page is parsed. Uses the shared core: OCR.urls (addresses, the one URL-mode contract),
 * OCR.shards (index files as scripts, so search works from file://) and OCR.el.
 *
 * The results page keeps the query and its filters in the address (?q=chf&system=icd-10-cm&
 * billable=1&initial=1&new=1), pages with "Show more" and says how many results there are.
 */
(function (OCR) {
  "use strict";

  var PAGE_SIZE = 50;
  var engine = null, lunrReady = null;

  function lunr() {
    if (window.lunr) return Promise.resolve(window.lunr);
    if (!lunrReady) {
      lunrReady = OCR.shards.script(OCR.urls.asset("assets/javascripts/lunr.min.js")).then(function () { return window.lunr; });
    }
    return lunrReady;
  }

  function getEngine() {
    if (!engine) {
      var store = OCR.shards.create({ callback: "__searchShard", base: OCR.urls.asset("search-index/"),
                                      label: "search index file" });
      var index = OCR.searchIndex.open({
        load: store.load, site: OCR.urls.site.href, fileUrls: !OCR.urls.directoryUrls, offline: OCR.urls.offline
      });
      engine = Promise.all([lunr(), index.ready()]).then(function (parts) {
        return OCR.searchEngine.create(index, parts[0]);
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function search(input, options) {
    return getEngine().then(function (e) { return e.search(input, options); });
  }

  function searchPageUrl(q) {
    var url = new URL(OCR.urls.page("search.md"));
    if (q) url.searchParams.set("q", q);
    return url.href;
  }

  // The header box exists only with JavaScript (without it there is nothing to search with), so
  // pages carry no markup for it: it is made here, inside Material's header, before the repo link.
  function headerForm() {
    var input = OCR.el("input", { type: "search", name: "q", "class": "cc-search__input",
      placeholder: "Search codes, modifiers, words", "aria-label": "Search codes, modifiers and text",
      autocomplete: "off", autocapitalize: "off", autocorrect: "off", spellcheck: "false", maxlength: "200" });
    var results = OCR.el("div", { "class": "cc-search__results", id: "cc-search-results", hidden: true });
    return OCR.el("form", { id: "cc-search", "class": "cc-search", role: "search", "aria-label": "Search the reference",
                            action: searchPageUrl("").split("?")[0], method: "get" }, [input, results]);
  }

  function mountHeader() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || document.getElementById("cc-search")) return;
    var form = headerForm();
    inner.insertBefore(form, inner.querySelector(".md-header__source"));
    var input = form.querySelector("input");
    new OCR.searchUI.Box(input, form.querySelector(".cc-search__results"), null, {
      dropdown: true, limit: 10, search: search, searchPageUrl: searchPageUrl,
      warm: function () { getEngine().catch(function () {}); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.value.trim()) window.location.href = searchPageUrl(input.value.trim());
    });
    // "/" focuses the box, as on most sites; it is typed normally inside any text field.
    window.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      var pageInput = document.querySelector("#cc-search-page input[type=search]");
      (pageInput || input).focus();
    }, true);
  }

  function mountPage() {
    var page = document.getElementById("cc-search-page");
    if (!page) return;
    page.hidden = false;
    var input = page.querySelector("input[type=search]");
    var form = page.querySelector("form");
    var system = page.querySelector("[name=system]"), billable = page.querySelector("[name=billable]");
    var initial = page.querySelector("[name=initial]"), fresh = page.querySelector("[name=new]");
    var more = page.querySelector(".cc-search__more");
    function filters() {
      return { system: system.value, billable: billable.checked, initial: initial.checked,
               isNew: !!(fresh && fresh.checked) };
    }
    var box = new OCR.searchUI.Box(input, page.querySelector(".cc-search__results"), page.querySelector(".cc-search__status"), {
      dropdown: false, limit: PAGE_SIZE, search: search, searchPageUrl: searchPageUrl, filters: filters,
      onRender: function (result, shown) {
        more.hidden = !(result.total > shown);
        // Keep the address shareable: it always names the query and filters shown.
        var url = new URL(window.location.href), f = filters();
        if (result.query) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        if (f.system) url.searchParams.set("system", f.system); else url.searchParams.delete("system");
        if (f.billable) url.searchParams.set("billable", "1"); else url.searchParams.delete("billable");
        if (f.initial) url.searchParams.set("initial", "1"); else url.searchParams.delete("initial");
        if (f.isNew) url.searchParams.set("new", "1"); else url.searchParams.delete("new");
        try { window.history.replaceState(null, "", url.href); } catch (e) { /* file:// may refuse */ }
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); box.run(); });
    [system, billable, initial, fresh].filter(Boolean).forEach(function (control) {
      control.addEventListener("change", function () { box.run(); });
    });
    more.addEventListener("click", function () { box.run(true); });
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q") || "";
    input.value = q.slice(0, OCR.searchQuery.MAX_QUERY);
    var wanted = params.get("system") || "";
    if ([].some.call(system.options, function (o) { return o.value === wanted; })) system.value = wanted;
    billable.checked = params.get("billable") === "1";
    initial.checked = params.get("initial") === "1";
    if (fresh) fresh.checked = params.get("new") === "1";
    box.run();
    if (!q) input.focus();
  }

  OCR.search = { search: search, searchPageUrl: searchPageUrl };

  function start() { mountHeader(); mountPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.OCR = window.OCR || {});
