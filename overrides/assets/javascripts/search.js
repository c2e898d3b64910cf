/*
 * Site search: one box for codes, modifiers, ranges and words, over the sharded index that
 * generator/search.py writes to search-index/. Shards are scripts that call
 * window.__searchShard(name, data), so the same files load over HTTP and from file://.
 *
 * Everything a reader or a record supplies is put into the page with textContent, never as
 * HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SITE = new URL("../../", script.src);          // this file is assets/javascripts/search.js
  var INDEX = new URL("search-index/", SITE);
  var OFFLINE = SITE.protocol === "file:";
  // A build with use_directory_urls: false (the offline bundle) has pages at folder/CODE.html.
  var FILE_URLS = script.getAttribute("data-urls") === "file";
  var MAX_QUERY = 200;                                 // longer input is cut, not rejected
  var SYSTEM_LABELS = { "cpt": "CPT", "hcpcs": "HCPCS Level II", "icd-10-cm": "ICD-10-CM", "page": "Page" };
  // lunr's English stop words: a partly typed last word that may become one is not required.
  var STOP = ("a able about across after all almost also am among an and any are as at be because " +
    "been but by can cannot could dear did do does either else ever every for from get got had has " +
    "have he her hers him his how however i if in into is it its just least let like likely may me " +
    "might most must my neither no nor not of off often on only or other our own rather said say " +
    "says she should since so some than that the their them then there these they this tis to too " +
    "twas us wants was we were what when where which while who whom why will with would yet you " +
    "your").split(" ");

  // --- loading shards --------------------------------------------------------------------

  var loaded = Object.create(null);   // shard name -> data
  var waiting = Object.create(null);  // shard name -> promise

  window.__searchShard = function (name, data) {
    loaded[name] = data;
  };

  function loadScript(url, name) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = url;
      el.async = true;
      el.onload = function () {
        if (name && !(name in loaded)) reject(new Error("search index file " + name + " is damaged"));
        else resolve(name ? loaded[name] : true);
      };
      el.onerror = function () { reject(new Error("search index file " + (name || url) + " did not load")); };
      document.head.appendChild(el);
    });
  }

  function load(name) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    if (!waiting[name]) {
      waiting[name] = loadScript(new URL(name + ".js", INDEX).href, name);
      waiting[name].catch(function () { delete waiting[name]; });
    }
    return waiting[name];
  }

  var lunrReady = null;
  function loadLunr() {
    if (window.lunr) return Promise.resolve(window.lunr);
    if (!lunrReady) {
      lunrReady = loadScript(new URL("lunr.min.js", script.src).href).then(function () { return window.lunr; });
    }
    return lunrReady;
  }

  // --- the index -------------------------------------------------------------------------

  var manifest = null;
  var root = [];            // root rows, by document number
  var wordFiles = null;     // set of word shard keys
  var starts = [];          // directory files' first document numbers, ascending
  var engineReady = null;

  function ready() {
    if (!engineReady) {
      engineReady = Promise.all([load("manifest"), loadLunr()]).then(function (parts) {
        manifest = parts[0];
        root = manifest.root;
        wordFiles = Object.create(null);
        manifest.words.forEach(function (k) { wordFiles[k] = true; });
        manifest.directory.sort(function (a, b) { return a[1] - b[1]; });
        starts = manifest.directory.map(function (d) { return d[1]; });
      });
      engineReady.catch(function () { engineReady = null; });
    }
    return engineReady;
  }

  function normalizeCode(text) {
    return String(text).replace(/[\s.]/g, "").toUpperCase();
  }

  function termShard(term) {
    var out = "";
    for (var i = 0; i < Math.min(2, term.length); i++) {
      var c = term.charAt(i);
      out += /[a-z0-9]/.test(c) ? c : "_" + c.charCodeAt(0).toString(16) + "_";
    }
    return out;
  }

  // Code order as in generator/systems.py sort_key: letter codes, then numeric codes by kind.
  function sortKey(code) {
    if (/^\d/.test(code)) {
      var first = code.split("-")[0];
      var suffix = /[A-Z]$/.test(first) ? first.slice(-1) : "";
      return "1" + suffix + " " + code;
    }
    return "0 " + code;
  }
  function byCode(a, b) {
    var x = sortKey(a.code), y = sortKey(b.code);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function item(row, doc) {
    var system = manifest.systems[row[2]];
    var kind = { c: "code", r: "range", m: "modifier", p: "page" }[row[3]];
    var url;
    if (kind === "page") url = row[5] === "./" ? "" : row[5];
    else url = (kind === "modifier" ? manifest.folders.modifier : manifest.folders[system]) + "/" + row[0] +
               (FILE_URLS ? ".html" : "/");
    if (OFFLINE && !/\.html$/.test(url)) url += "index.html";
    return {
      doc: doc, code: row[0], norm: normalizeCode(row[0]), title: row[1], system: system,
      kind: kind, billable: row[4] === 1 ? true : row[4] === 2 ? false : null,
      url: new URL(url, SITE).href
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

  // Rows for document numbers, loading the directory files that hold them.
  function rows(docs) {
    var names = Object.create(null);
    docs.forEach(function (doc) {
      if (doc >= root.length) {
        var f = fileOf(doc);
        if (f) names["d/" + f[0]] = true;
      }
    });
    return Promise.all(Object.keys(names).map(load)).then(function () {
      return docs.map(function (doc) {
        if (doc < root.length) return item(root[doc], doc);
        var f = fileOf(doc);
        var data = f && loaded["d/" + f[0]];
        var row = data && data[doc - f[1]];
        return row ? item(row, doc) : null;
      }).filter(Boolean);
    });
  }

  // Every row of the directory files that may hold codes starting with `prefix`.
  function codesUnder(prefix) {
    if (prefix.length < 3) return Promise.resolve([]);   // the root already lists categories
    var files = manifest.directory.filter(function (d) {
      return d[0].indexOf(prefix) === 0 || prefix.indexOf(d[0]) === 0;
    }).slice(0, 40);
    return Promise.all(files.map(function (d) { return load("d/" + d[0]); })).then(function () {
      var out = [];
      files.forEach(function (d) {
        loaded["d/" + d[0]].forEach(function (row, i) { out.push(item(row, d[1] + i)); });
      });
      return out;
    });
  }

  // --- understanding a query -------------------------------------------------------------

  var MODIFIER = /^(?:(?:mod|modifier|modifiers)\s*|-\s*)?-?([0-9A-Z]{2})$/i;
  var MODIFIER_WORD = /^(?:mod|modifier|modifiers)\s+-?([0-9A-Z]{2})$/i;
  var RANGE = /^([A-Z0-9][A-Z0-9.]*)\s*-\s*([A-Z0-9][A-Z0-9.]*)$/i;
  var CODE = /^[A-Z0-9][A-Z0-9.]*$/i;

  function parse(input) {
    var text = String(input == null ? "" : input).slice(0, MAX_QUERY);
    var partial = !/\s$/.test(text);                 // still typing the last word
    text = text.replace(/\s+/g, " ").trim();
    var q = { text: text, modifier: null, range: null, code: null, words: [] };
    if (!text) return q;
    var m = MODIFIER_WORD.exec(text) || MODIFIER.exec(text);
    if (m) q.modifier = m[1].toUpperCase();
    var r = RANGE.exec(text);
    if (r && /\d/.test(r[1]) && /\d/.test(r[2]) && normalizeCode(r[1]).length >= 3) {
      q.range = [normalizeCode(r[1]), normalizeCode(r[2])];
    }
    if (CODE.test(text) && /\d/.test(text) && normalizeCode(text).length >= 2) q.code = normalizeCode(text);
    var wordText = MODIFIER_WORD.test(text) ? "" : text;
    var tokens = window.lunr ? window.lunr.tokenizer(wordText) : [];
    tokens.forEach(function (token, i) {
      var trimmed = window.lunr.trimmer(token);
      var raw = trimmed ? trimmed.toString() : "";
      if (!raw) return;
      var last = i === tokens.length - 1 && partial;
      var stop = !window.lunr.stopWordFilter(trimmed);
      var stem = window.lunr.stemmer(new window.lunr.Token(raw)).toString();
      var mayBecomeStop = last && STOP.some(function (w) { return w.indexOf(raw) === 0; });
      if (stop && !last) return;
      q.words.push({
        raw: raw, stem: stem, prefix: last && raw.length >= 2,
        fuzzy: raw.length >= 5 && !/\d/.test(raw),
        required: !(stop || mayBecomeStop || (last && raw.length < 2))
      });
    });
    return q;
  }

  // --- words ------------------------------------------------------------------------------
  //
  // Each word file is a slice of a lunr.py index: for every term and field, the documents and
  // lunr's BM25 weight of the term in that field (with field and document boosts applied). A
  // word is matched as lunr.Index.query matches a clause: lunr.js expands the stemmed word,
  // with one edit and as a prefix, against the file's lunr.TokenSet, and a document scores the
  // sum over fields of (query vector . field vector) / |query vector|. The sum runs over typed
  // arrays here instead of lunr.Index.query, which allocates match data for every matching
  // document: 200-700 ms per keystroke for words found in 40,000 codes ("fracture",
  // "encounter"), against a few milliseconds this way.

  var wordFilesBuilt = Object.create(null);   // key -> {tokenSet, terms: term -> raw entry}
  var wordCache = Object.create(null);        // word -> Map(doc -> score), for earlier words
  var wordCacheSize = 0;

  function wordFile(key) {
    var built = wordFilesBuilt[key];
    if (built) return built;
    var terms = Object.create(null), names = [];
    loaded["w/" + key].forEach(function (entry) { terms[entry[0]] = entry; names.push(entry[0]); });
    names.sort();
    built = wordFilesBuilt[key] = { tokenSet: window.lunr.TokenSet.fromArray(names), terms: terms };
    return built;
  }

  // Postings of one term, decoded once: [[field, Int32Array docs, Float32Array weights], ...].
  function postings(file, term) {
    var entry = file.terms[term];
    if (entry.decoded) return entry.decoded;
    var out = [], scale = manifest.scale;
    for (var j = 1; j < entry.length; j += 3) {
      var deltas = entry[j + 1], scores = entry[j + 2], n = deltas.length;
      var docs = new Int32Array(n), weights = new Float32Array(n), doc = 0;
      for (var k = 0; k < n; k++) { doc += deltas[k]; docs[k] = doc; weights[k] = scores[k] / scale; }
      out.push([entry[j], docs, weights]);
    }
    entry.decoded = out;
    return out;
  }

  // The clauses for a word: as typed (stemmed, and as a prefix while typing), or, when that
  // finds nothing, with one typo. Trying the typo only then keeps "chills" from also finding
  // every "child".
  function clauses(word, typo) {
    var lunr = window.lunr, q = new lunr.Query(manifest.fields);
    if (typo) {
      q.term(word.stem, { usePipeline: false, editDistance: 1, boost: 1 });
      return q.clauses;
    }
    q.term(word.stem, { usePipeline: false, boost: 10 });
    if (word.prefix) {
      q.term(word.raw, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
      if (word.stem !== word.raw) {
        q.term(word.stem, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
      }
    }
    return q.clauses;
  }

  function shardsFor(word) {
    var keys = [termShard(word.stem)];
    if (word.prefix) keys.push(termShard(word.raw));
    return keys.filter(function (k, i) { return wordFiles[k] && keys.indexOf(k) === i; });
  }

  // Map(doc -> score) for one word.
  function matchWord(word) {
    var cacheKey = [word.stem, word.raw, word.prefix, word.fuzzy].join("\u0000");
    if (wordCache[cacheKey]) return wordCache[cacheKey];
    var boosts = Object.create(null);        // term -> summed clause boost, as lunr's query vector
    var fileOf = Object.create(null), found = 0;
    function expand(typo) {
      shardsFor(word).forEach(function (key) {
        var file = wordFile(key);
        clauses(word, typo).forEach(function (clause) {
          file.tokenSet.intersect(window.lunr.TokenSet.fromClause(clause)).toArray().forEach(function (term) {
            boosts[term] = (boosts[term] || 0) + clause.boost;
            fileOf[term] = file;
            found++;
          });
        });
      });
    }
    expand(false);
    if (!found && word.fuzzy) expand(true);
    var perField = manifest.fields.map(function () { return []; });
    Object.keys(boosts).forEach(function (term) {
      postings(fileOf[term], term).forEach(function (p) { perField[p[0]].push([boosts[term], p[1], p[2]]); });
    });
    var scores = new Map();
    perField.forEach(function (lists) {
      if (!lists.length) return;
      var magnitude = Math.sqrt(lists.reduce(function (sum, l) { return sum + l[0] * l[0]; }, 0));
      lists.forEach(function (l) {
        var boost = l[0] / magnitude, docs = l[1], weights = l[2];
        for (var k = 0; k < docs.length; k++) {
          scores.set(docs[k], (scores.get(docs[k]) || 0) + boost * weights[k]);
        }
      });
    });
    if (++wordCacheSize > 64) { wordCache = Object.create(null); wordCacheSize = 1; }
    wordCache[cacheKey] = scores;
    return scores;
  }

  // Documents matching every required word, best first; optional words only add to the score.
  function searchWords(words) {
    if (!words.length) return Promise.resolve({ docs: [], empty: [] });
    var keys = [];
    words.forEach(function (w) { shardsFor(w).forEach(function (k) { keys.push("w/" + k); }); });
    return Promise.all(keys.map(load)).then(function () {
      var matched = words.map(matchWord), empty = [];
      var required = [], optional = [];
      words.forEach(function (w, i) {
        if (w.required && !matched[i].size) empty.push(w.raw);
        (w.required ? required : optional).push(matched[i]);
      });
      if (!required.length) required = optional.splice(0, optional.length);
      required.sort(function (a, b) { return a.size - b.size; });
      var smallest = required[0], rest = required.slice(1).concat(optional);
      // Sort keys pack (best score first, then document number) into one float, so that
      // tens of thousands of matches sort natively in a few milliseconds.
      var keys = new Float64Array(smallest.size), n = 0, DOCS = 1048576;
      smallest.forEach(function (score, doc) {
        for (var i = 1; i < required.length; i++) if (!required[i].has(doc)) return;
        var total = score;
        for (var j = 0; j < rest.length; j++) total += rest[j].get(doc) || 0;
        keys[n++] = (1e7 - Math.min(Math.round(total * 1000), 1e7 - 1)) * DOCS + doc;
      });
      keys = keys.subarray(0, n).sort();
      var docs = new Array(n);
      for (var k = 0; k < n; k++) docs[k] = keys[k] % DOCS;
      return { docs: docs, empty: empty };
    });
  }

  // --- codes, ranges and modifiers -------------------------------------------------------

  function rootItems(test) {
    var out = [];
    root.forEach(function (row, doc) { if (test(row)) out.push(item(row, doc)); });
    return out;
  }

  // Does a range (normalized "A00-A09") contain a code? As CodeRange.contains in systems.py.
  function rangeContains(first, last, code) {
    if (/^[A-Z]/.test(first)) {
      return first <= code.slice(0, first.length) && code.slice(0, last.length) <= last;
    }
    var suffix = /[A-Z]$/.test(first) ? first.slice(-1) : "";
    if (code.length !== first.length || (/[A-Z]$/.test(code) ? code.slice(-1) : "") !== suffix) return false;
    return first <= code && code <= last;
  }

  function searchCodes(q) {
    var exact = [], listed = [], tasks = [];
    if (q.modifier) {
      exact = exact.concat(rootItems(function (row) { return row[3] === "m" && row[0] === q.modifier; }));
    }
    if (q.range) {
      var first = q.range[0], last = q.range[1], wanted = first + "-" + last;
      var ranges = rootItems(function (row) { return row[3] === "r"; });
      ranges.forEach(function (it) { if (it.norm === wanted) exact.push(it); });
      // No range page with these ends: the ranges that hold it, smallest first.
      if (!exact.length) {
        var holding = ranges.filter(function (it) {
          var ends = it.norm.split("-");
          return rangeContains(ends[0], ends[1], first) && rangeContains(ends[0], ends[1], last);
        });
        holding.sort(function (a, b) { return a.title.length - b.title.length; });
        exact = exact.concat(holding.reverse());
      }
      listed = listed.concat(rootItems(function (row) {
        return row[3] === "c" && rangeContains(first, last, normalizeCode(row[0]));
      }));
      var lo = first.slice(0, 3), hi = last.slice(0, 3);
      var files = manifest.directory.filter(function (d) {
        var k = d[0].slice(0, 3);
        return k >= lo && k <= hi && (k.length === lo.length);
      }).slice(0, 40);
      tasks.push(Promise.all(files.map(function (d) { return load("d/" + d[0]); })).then(function () {
        files.forEach(function (d) {
          loaded["d/" + d[0]].forEach(function (row, i) {
            if (rangeContains(first, last, normalizeCode(row[0]))) listed.push(item(row, d[1] + i));
          });
        });
      }));
    }
    if (q.code) {
      var code = q.code;
      tasks.push(codesUnder(code).then(function (under) {
        var all = rootItems(function (row) {
          return row[3] !== "p" && row[3] !== "m" && normalizeCode(row[0]).indexOf(code) === 0;
        }).concat(under.filter(function (it) { return it.norm.indexOf(code) === 0; }));
        all.forEach(function (it) { (it.norm === code ? exact : listed).push(it); });
      }));
    }
    return Promise.all(tasks).then(function () {
      listed.sort(byCode);
      return { exact: exact, listed: listed };
    });
  }

  // Codes near one that does not exist: drop characters from the end until something matches.
  function nearestCodes(code, limit) {
    var prefix = code.slice(0, -1);
    function attempt() {
      if (prefix.length < 1) return Promise.resolve([]);
      return codesUnder(prefix).then(function (under) {
        var found = rootItems(function (row) {
          return (row[3] === "c" || row[3] === "r") && normalizeCode(row[0]).indexOf(prefix) === 0;
        }).concat(under.filter(function (it) { return it.norm.indexOf(prefix) === 0; }));
        if (found.length) return found.sort(byCode).slice(0, limit);
        prefix = prefix.slice(0, -1);
        return attempt();
      });
    }
    return attempt();
  }

  // --- the search ------------------------------------------------------------------------

  function search(input, limit) {
    limit = limit || 10;
    return ready().then(function () {
      var q = parse(input);
      var result = { query: q.text, items: [], total: 0, nearest: [], broader: [] };
      if (!q.text || (!q.words.length && !q.code && !q.modifier && !q.range)) return result;
      return Promise.all([searchCodes(q), searchWords(q.words)]).then(function (parts) {
        var codes = parts[0], words = parts[1];
        var seen = Object.create(null), ordered = [];
        codes.exact.concat(codes.listed).forEach(function (it) {
          if (!seen[it.doc]) { seen[it.doc] = true; ordered.push(it); }
        });
        var wordDocs = words.docs.filter(function (d) { return !seen[d]; });
        result.total = ordered.length + wordDocs.length;
        var room = Math.max(0, limit - ordered.length);
        return rows(wordDocs.slice(0, room)).then(function (found) {
          result.items = ordered.slice(0, limit).concat(found);
          if (result.items.length) return result;
          // Nothing: offer the nearest codes and the query without the words that matched nothing.
          var required = q.words.filter(function (w) { return w.required; });
          var keep = required.filter(function (w) { return words.empty.indexOf(w.raw) < 0; });
          if (required.length > 1) {
            var fewer = keep.length && keep.length < required.length ? keep : required.slice(0, -1);
            result.broader.push(fewer.map(function (w) { return w.raw; }).join(" "));
          }
          var code = q.code || (q.range && q.range[0]) || q.modifier;
          return (code ? nearestCodes(code, 5) : Promise.resolve([])).then(function (near) {
            result.nearest = near;
            return result;
          });
        });
      });
    });
  }

  // --- the page: header box and results page ---------------------------------------------

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function resultRow(it, id) {
    var a = el("a", "cc-result");
    a.href = it.url;
    a.id = id;
    a.setAttribute("role", "option");
    a.appendChild(el("span", "cc-result__code cc-result__code--" + it.system, it.kind === "page" ? "Page" : it.code));
    a.appendChild(el("span", "cc-result__title", it.title));
    var meta = el("span", "cc-result__meta");
    if (it.kind !== "page") {
      var label = SYSTEM_LABELS[it.system] + (it.kind === "modifier" ? " modifier" : it.kind === "range" ? " range" : "");
      meta.appendChild(el("span", "cc-result__system", label));
    }
    if (it.billable !== null) {
      meta.appendChild(el("span", "cc-result__flag cc-result__flag--" + (it.billable ? "billable" : "header"),
                          it.billable ? "Billable" : "Header"));
    }
    a.appendChild(meta);
    return a;
  }

  function searchPageUrl(q) {
    var url = new URL(FILE_URLS ? "search.html" : OFFLINE ? "search/index.html" : "search/", SITE);
    url.searchParams.set("q", q);
    return url.href;
  }

  // One input, one list: type to search, arrows to move, Enter to open, Escape to close.
  function Box(input, list, status, options) {
    var seq = 0, active = -1;
    var self = this;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    list.setAttribute("role", "listbox");

    function options_() { return list.querySelectorAll(".cc-result"); }
    function highlight(i) {
      var opts = options_();
      if (!opts.length) { active = -1; return; }
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function say(text) { if (status) status.textContent = text; }

    function render(result) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      result.items.forEach(function (it, i) { list.appendChild(resultRow(it, list.id + "-" + i)); });
      if (!result.query) {
        say(options.dropdown ? "" : "Type a code (E11.65, 99213), a modifier (59), a range (A00-A09) or words.");
      } else if (!result.items.length) {
        var none = "No results for \u201c" + result.query + "\u201d.";
        if (status) say(none); else list.appendChild(el("div", "cc-search__hint cc-search__none", none));
        if (result.nearest.length) {
          list.appendChild(el("div", "cc-search__hint", "Nearest codes:"));
          result.nearest.forEach(function (it, i) { list.appendChild(resultRow(it, list.id + "-n" + i)); });
        }
        result.broader.forEach(function (b) {
          var hint = el("div", "cc-search__hint", "Try a broader search: ");
          var a = el("a", "cc-search__broader", b);
          a.href = searchPageUrl(b);
          hint.appendChild(a);
          list.appendChild(hint);
        });
      } else {
        say(result.total === 1 ? "1 result" :
            result.total > result.items.length ? "Showing " + result.items.length + " of " + result.total + " results" :
            result.total + " results");
      }
      if (options.dropdown && result.query && result.items.length) {
        var all = el("a", "cc-search__all", "All results for \u201c" + result.query + "\u201d");
        all.href = searchPageUrl(result.query);
        list.appendChild(all);
      }
      var open = !!result.query;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (options.dropdown && result.items.length) highlight(0);
      list.dataset.query = result.query;
      if (options.onRender) options.onRender(result);
    }

    this.run = function () {
      var mine = ++seq, value = input.value;
      var started = performance.now();
      return search(value, options.limit).then(function (result) {
        if (mine !== seq) return;           // a later keystroke already answered
        render(result);
        list.dataset.ms = String(Math.round(performance.now() - started));
        document.dispatchEvent(new CustomEvent("cc-search-results", { detail: { query: value, count: result.items.length } }));
      }, function (error) {
        if (mine !== seq) return;
        list.textContent = "";
        list.hidden = false;
        say("Search is unavailable: " + error.message + ".");
      });
    };

    input.addEventListener("input", function () { self.run(); });
    input.addEventListener("focus", function () { ready().catch(function () {}); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden && options.dropdown) { self.run(); return; }
        highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        var opts = options_();
        if (active >= 0 && opts[active]) {
          e.preventDefault();
          window.location.href = opts[active].href;
        }
      } else if (e.key === "Escape" && options.dropdown) {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
      }
    });
    if (options.dropdown) {
      document.addEventListener("click", function (e) {
        if (!input.form.contains(e.target)) { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
      });
    }
  }

  function mountHeader() {
    var form = document.getElementById("cc-search");
    if (!form) return;
    // The form is rendered after Material's header; it belongs inside it, before the repo link.
    var inner = document.querySelector(".md-header__inner");
    if (inner) inner.insertBefore(form, inner.querySelector(".md-header__source"));
    form.hidden = false;
    form.action = searchPageUrl("").split("?")[0];
    var input = form.querySelector("input");
    new Box(input, form.querySelector(".cc-search__results"), null, { dropdown: true, limit: 10 });
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
      var pageInput = document.querySelector("#cc-search-page input");
      (pageInput || input).focus();
    }, true);
  }

  function mountPage() {
    var page = document.getElementById("cc-search-page");
    if (!page) return;
    page.hidden = false;
    var input = page.querySelector("input");
    var form = page.querySelector("form");
    var box = new Box(input, page.querySelector(".cc-search__results"), page.querySelector(".cc-search__status"), {
      dropdown: false, limit: 100,
      onRender: function (result) {
        // Keep the address shareable: /search/?q=... always names what is shown.
        var url = new URL(window.location.href);
        if (result.query) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        try { window.history.replaceState(null, "", url.href); } catch (e) { /* file:// may refuse */ }
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); box.run(); });
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q.slice(0, MAX_QUERY);
    box.run();
    if (!q) input.focus();
  }

  window.CaseSearch = { search: search, parse: parse, ready: ready, normalizeCode: normalizeCode, termShard: termShard };

  function start() { mountHeader(); mountPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
