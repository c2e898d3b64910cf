/*
 * Search, part 1 of 6: the sharded index that generator/search.py writes to search-index/.
 * Needs core/codes.js (code rules) loaded first.
 *
 * OCR.searchIndex.open(options) -> an index over a loader: options.load(name) returns a promise
 * of a shard's data ("manifest", "d/S72", "w/fr"). The browser's loader adds script tags (the
 * files call window.__searchShard(name, data), so they load from file:// too); node tests pass
 * one that reads the files. Rows become items with the page address the build gives them.
 */
(function (OCR) {
  "use strict";

  var KINDS = { c: "code", r: "range", m: "modifier", p: "page" };
  var codes = OCR.codes;   // core/codes.js: the code rules of generator/systems.py

  function open(options) {
    var loaded = Object.create(null), waiting = Object.create(null);
    var manifest = null, root = [], starts = [], wordFiles = null, engineReady = null;
    var site = options.site || "";              // absolute base address of the site
    var normalizeCode = codes.bare;
    var fileUrls = !!options.fileUrls, offline = !!options.offline;

    function load(name) {
      if (name in loaded) return Promise.resolve(loaded[name]);
      if (!waiting[name]) {
        waiting[name] = Promise.resolve(options.load(name)).then(function (data) {
          loaded[name] = data;
          return data;
        });
        waiting[name].catch(function () { delete waiting[name]; });
      }
      return waiting[name];
    }

    function ready() {
      if (!engineReady) {
        engineReady = load("manifest").then(function (m) {
          manifest = m;
          root = m.root;
          wordFiles = Object.create(null);
          m.words.forEach(function (k) { wordFiles[k] = true; });
          // [key, rows] in number order: each file starts where the one before it ended.
          var next = m.root.length;
          m.directory = m.directory.map(function (d) { var f = [d[0], next, d[1]]; next += d[1]; return f; });
          starts = m.directory.map(function (d) { return d[1]; });
          return api;
        });
        engineReady.catch(function () { engineReady = null; });
      }
      return engineReady;
    }

    function pageUrl(url) {
      if (offline && !/\.html$/.test(url)) url += "index.html";
      return site ? new URL(url, site).href : url;
    }

    function codeUrl(kind, system, code) {
      var folder = kind === "modifier" ? manifest.folders.modifier : manifest.folders[system];
      return pageUrl(folder + "/" + code + (fileUrls ? ".html" : "/"));
    }

    // A row of the directory as an item: [code, title, system, kind, flag, url, chars, set];
    // flag: 1 billable, 2 header, 0 neither, plus 4 for a code new in the release shown.
    function item(row, doc) {
      var system = manifest.systems[row[2]], kind = KINDS[row[3]];
      var it = {
        doc: doc, code: row[0], norm: normalizeCode(row[0]), title: row[1], system: system,
        kind: kind, billable: (row[4] & 3) === 1 ? true : (row[4] & 3) === 2 ? false : null,
        isNew: (row[4] & 4) === 4,
        url: kind === "page" ? pageUrl(row[5] === "./" ? "" : row[5]) : codeUrl(kind, system, row[0]),
        family: null, seventh: null
      };
      if (row[6]) it.family = { chars: row[6], meanings: manifest.sevenths[row[7]] };
      if (system === "icd-10-cm" && kind === "code" && it.norm.length === 7) it.seventh = it.norm.charAt(6);
      return it;
    }

    // The member of a family for one 7th character, built from the head's row.
    function member(head, index) {
      var pair = head.family.meanings[index], code = codes.seventhCode(head.code, pair[0]);
      return {
        doc: -1, code: code, norm: normalizeCode(code), title: head.title + ", " + pair[1],
        system: head.system, kind: "code", billable: true, isNew: head.isNew,
        url: codeUrl("code", head.system, code),
        family: null, seventh: pair[0], head: head
      };
    }

    function fileOf(doc) {
      var lo = 0, hi = starts.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (starts[mid] <= doc) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      return found < 0 ? null : manifest.directory[found];
    }

    // Items for document numbers, loading the directory files that hold them.
    function rows(docs) {
      var names = Object.create(null);
      docs.forEach(function (doc) {
        var f = doc >= root.length && fileOf(doc);
        if (f) names["d/" + f[0]] = true;
      });
      return Promise.all(Object.keys(names).map(load)).then(function () {
        return docs.map(function (doc) {
          if (doc < root.length) return item(root[doc], doc);
          var f = fileOf(doc), data = f && loaded["d/" + f[0]], row = data && data[doc - f[1]];
          return row ? item(row, doc) : null;
        }).filter(Boolean);
      });
    }

    function rootItems(test) {
      var out = [];
      root.forEach(function (row, doc) { if (test(row)) out.push(item(row, doc)); });
      return out;
    }

    // Every item of the directory files that may hold codes starting with `prefix`.
    // A prefix shorter than a category reads only the files named by a category (S7 -> S70..S79).
    function codesUnder(prefix) {
      if (!prefix) return Promise.resolve([]);
      var files = manifest.directory.filter(function (d) {
        if (prefix.length < 3) return d[0].length === 3 && d[0].indexOf(prefix) === 0;
        return d[0].indexOf(prefix) === 0 || prefix.indexOf(d[0]) === 0;
      }).slice(0, 40);
      return filesItems(files);
    }

    function filesItems(files) {
      return Promise.all(files.map(function (d) { return load("d/" + d[0]); })).then(function () {
        var out = [];
        files.forEach(function (d) {
          loaded["d/" + d[0]].forEach(function (row, i) { out.push(item(row, d[1] + i)); });
        });
        return out;
      });
    }

    var api = {
      ready: ready, load: load, rows: rows, rootItems: rootItems, codesUnder: codesUnder,
      filesItems: filesItems, item: item, member: member, pageUrl: pageUrl,
      manifest: function () { return manifest; },
      hasWordFile: function (k) { return !!wordFiles[k]; },
      loaded: function (name) { return loaded[name]; }
    };
    return api;
  }

  OCR.searchIndex = {
    open: open,
    byCode: function (a, b) { return codes.compare(a.code, b.code); }
  };
})(window.OCR = window.OCR || {});
