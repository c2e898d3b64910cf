/*
 * Search, part 4 of 6: one query, one ordered list of results.
 *
 * OCR.searchEngine.create(index, lunr).search(input, {limit, offset, filters}) resolves to
 * {query, items, total, nearest, broader, missing}. Order: the exact code, modifier or range;
 * codes an editors' synonym names ("chf" -> I50.9); codes under a typed prefix, in code order;
 * then word matches, best first. A family of 7th-character codes is one result (its head, with
 * the number of codes), or the one member the query's encounter words choose. A code in the
 * format of a system the reference does not hold ("J3420", "99999") is reported as not here
 * yet, never answered with a look-alike of another system.
 * filters: {system: "icd-10-cm" | "cpt" | "hcpcs" | "modifier" | "page" | "", billable,
 * initial (hide subsequent and sequela encounters), isNew (codes added in the release shown)}.
 */
(function (OCR) {
  "use strict";

  var codes = OCR.codes;
  var LATER = /subsequent encounter|sequela/i;

  function create(index, lunr) {
    var words = OCR.searchWords.create(index, lunr);
    var X = OCR.searchIndex, meaningStems = new Map();

    // Range ends and codes as written (with dots): core/codes.js reads the system from them.
    function written(bare) { return codes.dotted(bare) || bare; }
    function rangeContains(first, last, code) { return codes.rangeContains(written(first), written(last), code); }

    // The system whose format a typed code has, when the reference may not hold it (CPT,
    // HCPCS Level II): "J3420" and "G0439" are HCPCS codes, even if G04.39 exists.
    function foreignSystem(text, code) {
      var reading = codes.readings(text)[0];
      return reading && reading[0] !== "icd-10-cm" && codes.bare(reading[1]) === code ? reading[0] : null;
    }

    function codeSearch(q) {
      var exact = [], listed = [], tasks = [];
      if (q.modifier) exact = exact.concat(index.rootItems(function (row) { return row[3] === "m" && row[0] === q.modifier; }));
      if (q.range) {
        var first = q.range[0], last = q.range[1], wanted = first + "-" + last;
        var ranges = index.rootItems(function (row) { return row[3] === "r"; });
        ranges.forEach(function (it) { if (it.norm === wanted) exact.push(it); });
        if (!exact.length) {   // no range page with these ends: the ranges that hold it, smallest first
          var holding = ranges.filter(function (it) {
            var ends = it.norm.split("-");
            return rangeContains(ends[0], ends[1], written(first)) && rangeContains(ends[0], ends[1], written(last));
          });
          holding.sort(function (a, b) { return b.title.length - a.title.length; });
          exact = exact.concat(holding);
        }
        listed = listed.concat(index.rootItems(function (row) {
          return row[3] === "c" && rangeContains(first, last, row[0]);
        }));
        var lo = first.slice(0, 3), hi = last.slice(0, 3);
        var files = index.manifest().directory.filter(function (d) {
          var k = d[0].slice(0, 3);
          return k >= lo && k <= hi && k.length === lo.length;
        }).slice(0, 40);
        tasks.push(index.filesItems(files).then(function (all) {
          all.forEach(function (it) { if (rangeContains(first, last, it.code)) listed.push(it); });
        }));
      }
      if (q.code) {
        var code = q.code, foreign = foreignSystem(q.text, code);
        tasks.push(index.codesUnder(code).then(function (under) {
          var all = index.rootItems(function (row) {
            return row[3] !== "p" && row[3] !== "m" && codes.bare(row[0]).indexOf(code) === 0;
          }).concat(under.filter(function (it) { return it.norm.indexOf(code) === 0; }));
          all.forEach(function (it) {
            if (it.norm === code) exact.push(it);
            else if (!foreign || it.system === foreign) listed.push(it);
          });
        }));
      }
      return Promise.all(tasks).then(function () {
        listed.sort(X.byCode);
        var heads = Object.create(null);
        listed.concat(exact).forEach(function (it) { if (it.family) heads[it.norm] = true; });
        listed = listed.filter(function (it) {   // a family is one row until it is the query
          if (!it.seventh) return true;
          var head = codes.bare(codes.seventhBase(it.code)[0]);
          return !heads[head] || q.code === head;
        });
        return { exact: exact, listed: listed };
      });
    }

    // Codes near one that does not exist, of the same system: drop characters from the end.
    function nearest(code, system, limit) {
      var prefix = code.slice(0, -1);
      function attempt() {
        if (prefix.length < 1) return Promise.resolve([]);
        return index.codesUnder(prefix).then(function (under) {
          var found = index.rootItems(function (row) {
            return (row[3] === "c" || row[3] === "r") && codes.bare(row[0]).indexOf(prefix) === 0;
          }).concat(under.filter(function (it) { return it.norm.indexOf(prefix) === 0 && !it.seventh; }));
          if (system) found = found.filter(function (it) { return it.system === system; });
          // A range is near only when it holds the code: 1036F is not in 10004-69990.
          found = found.filter(function (it) { return it.kind !== "range" || codes.covers(it.code, written(code)); });
          if (found.length) return found.sort(X.byCode).slice(0, limit);
          prefix = prefix.slice(0, -1);
          return attempt();
        });
      }
      return attempt();
    }

    function pinned(q) {
      if (!q.pinned.length) return Promise.resolve([]);
      return Promise.all(q.pinned.map(function (c) {
        var norm = codes.bare(c);
        return index.codesUnder(norm).then(function (under) {
          return index.rootItems(function (row) { return codes.bare(row[0]) === norm && row[3] !== "p"; })
            .concat(under.filter(function (it) { return it.norm === norm; }))[0];
        });
      })).then(function (found) { return found.filter(Boolean); });
    }

    function stemsOf(set) {
      if (!meaningStems.has(set)) {
        meaningStems.set(set, set.map(function (pair) {
          return lunr.tokenizer(pair[1]).map(function (t) { return lunr.stemmer(lunr.trimmer(t)).toString(); });
        }));
      }
      return meaningStems.get(set);
    }

    // The family member the query's encounter words describe best; ties go to the first (A).
    function choose(it, q, filters) {
      if (!it.family || !q.encounter.length) return it;
      var stems = stemsOf(it.family.meanings), best = -1, score = 0;
      stems.forEach(function (s, i) {
        var hits = q.encounter.filter(function (e) { return s.indexOf(e) >= 0; }).length;
        if (hits > score && !(filters.initial && LATER.test(it.family.meanings[i][1]))) { best = i; score = hits; }
      });
      return best < 0 ? it : index.member(it, best);
    }

    function keepItem(it, filters) {
      if (filters.system === "modifier" ? it.kind !== "modifier"
          : filters.system && (it.system !== filters.system || it.kind === "modifier")) return false;
      if (filters.billable && !(it.kind === "code" || it.kind === "modifier") ) return false;
      if (filters.billable && it.billable === false && !it.family) return false;
      if (filters.initial && it.seventh && LATER.test(it.title)) return false;
      if (filters.isNew && !it.isNew) return false;
      return true;
    }

    var SYSTEMS = ["cpt", "hcpcs", "icd-10-cm", "page"];
    function keepDoc(prior, filters) {
      var kind = (prior >> 3) & 3, system = SYSTEMS[(prior >> 5) & 3];
      if (filters.system === "modifier" ? kind !== 2 : filters.system && (system !== filters.system || kind === 2)) return false;
      if (filters.billable && !(prior & 128)) return false;
      if (filters.isNew && !(prior & 256)) return false;
      return true;
    }

    function search(input, options) {
      options = options || {};
      var limit = options.limit || 10, offset = options.offset || 0, filters = options.filters || {};
      return index.ready().then(function () {
        var q = OCR.searchQuery.parse(input, index.manifest(), lunr);
        var result = { query: q.text, items: [], total: 0, nearest: [], broader: [], missing: null, exact: null };
        if (!q.text || (!q.groups.length && !q.code && !q.modifier && !q.range)) return result;
        return Promise.all([codeSearch(q), pinned(q), words.search(q)]).then(function (parts) {
          var hits = parts[0], found = parts[2], seen = Object.create(null), ordered = [];
          result.exact = hits.exact[0] || null;
          hits.exact.concat(parts[1], hits.listed).forEach(function (it) {
            var key = it.doc >= 0 ? it.doc : it.code;
            if (!seen[key] && keepItem(it, filters)) { seen[key] = true; ordered.push(it); }
          });
          var wordDocs = found.docs.filter(function (d) { return !seen[d] && keepDoc(found.prior.get(d) || 0, filters); });
          result.total = ordered.length + wordDocs.length;
          var fromWords = wordDocs.slice(Math.max(0, offset - ordered.length), Math.max(0, offset + limit - ordered.length));
          return index.rows(fromWords).then(function (rows) {
            result.items = ordered.slice(offset, offset + limit).concat(rows.map(function (it) { return choose(it, q, filters); }));
            var foreign = q.code && foreignSystem(q.text, q.code);
            var held = foreign && hits.exact.some(function (it) { return it.system === foreign; });
            if (foreign && !held) {
              var folder = index.manifest().folders[foreign];
              result.missing = { code: q.text.toUpperCase(), system: foreign, url: index.pageUrl(folder + "/") };
            }
            if (result.items.length) return result;
            var required = q.groups.filter(function (g) { return g.required; });
            var keep = required.filter(function (g) { return found.empty.indexOf(g.raw) < 0; });
            if (required.length > 1) {
              var fewer = keep.length && keep.length < required.length ? keep : required.slice(0, -1);
              result.broader.push(fewer.map(function (g) { return g.raw; }).join(" "));
            }
            var code = q.code || (q.range && q.range[0]) || q.modifier;
            if (!code) return result;
            return nearest(code, foreign || (codes.dotted(code) ? "icd-10-cm" : null), 5).then(function (near) {
              result.nearest = near;
              return result;
            });
          });
        });
      });
    }

    return { search: search };
  }

  OCR.searchEngine = { create: create };
})(window.OCR = window.OCR || {});
