/*
 * Search, part 3 of 6: scoring words.
 *
 * Each word file is a slice of the word index (generator/searchwords.py): for every stem and
 * field, the documents and a weight q * span + prior, where q/100 says how much of the field
 * the word covers (a title matched with few other words scores near 1) and prior holds what the
 * document is (code depth, "unspecified" title, kind, system, reportable).
 *
 * A word matches stems as typed (stemmed; and as a prefix while it is being typed). Words of
 * five letters or more that match fewer than RARE documents also match with one typo (two
 * when nothing matched), scored below matches as typed, so a word found as typed is never
 * replaced by another. A document's score for a word is its best field;
 * its score for a query is the sum over word groups plus a prior bonus: categories before their
 * leaves, "unspecified" defaults for one- or two-word queries. Every required word must match;
 * when no document has them all, the documents with the most of them are listed instead.
 */
(function (OCR) {
  "use strict";

  var EXACT = 1, PREFIX = 0.8, PREFIX_OF_WORD = 0.4, TYPO = 0.7, RARE = 20;

  function create(index, lunr) {
    var built = Object.create(null);   // word file key -> {tokenSet, terms}
    var cache = new Map();             // word key -> Map(doc -> score)
    var priors = new Map();            // doc -> prior

    function file(key) {
      if (built[key]) return built[key];
      var terms = Object.create(null), names = [];
      index.loaded("w/" + key).forEach(function (entry) { terms[entry[0]] = entry; names.push(entry[0]); });
      names.sort();
      return (built[key] = { tokenSet: lunr.TokenSet.fromArray(names), terms: terms });
    }

    // Postings of one term, decoded once: [[Int32Array docs, Float32Array q], ...] per field.
    function postings(f, term) {
      var entry = f.terms[term];
      if (entry.decoded) return entry.decoded;
      var out = [], span = index.manifest().prior;
      for (var j = 1; j < entry.length; j += 3) {
        var deltas = entry[j + 1], weights = entry[j + 2], n = deltas.length;
        var docs = new Int32Array(n), qs = new Float32Array(n), doc = 0;
        for (var k = 0; k < n; k++) {
          doc += deltas[k];
          docs[k] = doc;
          qs[k] = Math.floor(weights[k] / span) / 100;
          if (!priors.has(doc)) priors.set(doc, weights[k] % span);
        }
        out.push([docs, qs]);
      }
      return (entry.decoded = out);
    }

    function shardsFor(w) {
      var keys = [OCR.codes.termShard(w.stem)];
      if (w.prefix) keys.push(OCR.codes.termShard(w.raw));
      return keys.filter(function (k, i) { return index.hasWordFile(k) && keys.indexOf(k) === i; });
    }

    function expand(w, typo) {
      var found = [];   // [file, term, factor]
      shardsFor(w).forEach(function (key) {
        var f = file(key);
        function add(str, opts, factor) {
          var q = new lunr.Query(["t"]);
          q.term(str, Object.assign({ usePipeline: false }, opts));
          f.tokenSet.intersect(lunr.TokenSet.fromClause(q.clauses[0])).toArray().forEach(function (term) {
            found.push([f, term, factor]);
          });
        }
        if (typo) { add(w.stem, { editDistance: typo }, TYPO); return; }
        add(w.stem, {}, EXACT);
        if (w.prefix) {
          // While a word is typed its start matches longer words; once it is a word of its own
          // ("diverticulitis"), longer ones ("diverticulum") count for less.
          var factor = found.length ? PREFIX_OF_WORD : PREFIX;
          add(w.raw, { wildcard: lunr.Query.wildcard.TRAILING }, factor);
          if (w.stem !== w.raw) add(w.stem, { wildcard: lunr.Query.wildcard.TRAILING }, factor);
        }
      });
      return found;
    }

    function documents(found) {
      var n = 0;
      found.forEach(function (m) { postings(m[0], m[1]).forEach(function (p) { n += p[0].length; }); });
      return n;
    }

    // Map(doc -> score) for one word: the best field of the best matching term.
    function matchWord(w) {
      var key = [w.stem, w.raw, w.prefix, w.fuzzy].join("\u0000");
      if (cache.has(key)) return cache.get(key);
      var found = expand(w, 0), typos = [];
      // A rare word may be a typo of a common one ("migrane" is a stem of "migrans"): its
      // typo matches are added below its own, never instead of them.
      if (w.fuzzy && documents(found) < RARE) {
        typos = expand(w, 1);
        if (!typos.length && !found.length) typos = expand(w, 2);
        // Last resort for a long word: its start ("gastroenteritus" -> "gastroente...").
        if (!typos.length && !found.length && w.stem.length >= 8) {
          typos = expand({ raw: w.stem.slice(0, -3), stem: w.stem.slice(0, -3), prefix: true }, 0)
            .map(function (m) { return [m[0], m[1], TYPO]; });
        }
        found = found.concat(typos);
      }
      var scores = new Map();
      found.forEach(function (m) {
        postings(m[0], m[1]).forEach(function (p) {
          var docs = p[0], qs = p[1];
          for (var k = 0; k < docs.length; k++) {
            var s = qs[k] * m[2], old = scores.get(docs[k]);
            if (old === undefined || s > old) scores.set(docs[k], s);
          }
        });
      });
      if (cache.size > 64) cache.clear();
      cache.set(key, scores);
      return scores;
    }

    // An alternative needs all its words; a group takes its best alternative.
    function matchGroup(g) {
      var best = new Map();
      g.alts.forEach(function (alt) {
        var maps = alt.map(matchWord).sort(function (a, b) { return a.size - b.size; });
        maps[0].forEach(function (score, doc) {
          var total = score;
          for (var i = 1; i < maps.length; i++) {
            var s = maps[i].get(doc);
            if (s === undefined) return;
            total += s;
          }
          var old = best.get(doc);
          if (old === undefined || total > old) best.set(doc, total);
        });
      });
      return best;
    }

    function words(q) {
      var out = [];
      q.groups.forEach(function (g) { g.alts.forEach(function (alt) { alt.forEach(function (w) { out.push(w); }); }); });
      return out;
    }

    function bonus(prior, groups) {
      var depth = prior & 3, kind = (prior >> 3) & 3, b = 0;
      if (kind === 0) b += [0.15, 0.1, 0.05, 0][depth];
      else if (kind === 1) b -= 0.05;
      else if (kind === 2) b += 0.1;
      if ((prior & 4) && groups <= 2) b += 0.1;
      return b;
    }

    function union(maps) {
      var all = new Set();
      maps.forEach(function (m) { m.forEach(function (_, doc) { all.add(doc); }); });
      return all.size;
    }

    // No document has every word, though each word is found somewhere ("morbid obesity bmi
    // 45", "chest pain r/o mi"): the documents with the most of them, best first. A word found
    // nowhere still gives no results and a broader search to try.
    function fewer(required, rest, sortKeys, q) {
      var counts = new Map(), most = 0, n = 0, DOCS = 1048576;
      required.forEach(function (m) {
        m.forEach(function (_, doc) {
          var c = (counts.get(doc) || 0) + 1;
          counts.set(doc, c);
          if (c > most) most = c;
        });
      });
      counts.forEach(function (c, doc) {
        if (c !== most) return;
        var total = bonus(priors.get(doc) || 0, q.groups.length);
        required.concat(rest).forEach(function (m) { total += m.get(doc) || 0; });
        sortKeys[n++] = (1e7 - Math.max(0, Math.min(Math.round(total * 1000), 1e7 - 1))) * DOCS + doc;
      });
      return n;
    }

    // {docs: best first, empty: words that matched nothing, prior: doc -> prior}
    function search(q) {
      if (!q.groups.length) return Promise.resolve({ docs: [], empty: [], prior: priors });
      var keys = [];
      words(q).forEach(function (w) { shardsFor(w).forEach(function (k) { keys.push("w/" + k); }); });
      return Promise.all(keys.map(index.load)).then(function () {
        var maps = q.groups.map(matchGroup), empty = [], required = [], optional = [];
        q.groups.forEach(function (g, i) {
          if (g.required && !maps[i].size) empty.push(g.raw);
          (g.required ? required : optional).push(maps[i]);
        });
        if (!required.length) required = optional.splice(0, optional.length);
        required.sort(function (a, b) { return a.size - b.size; });
        var smallest = required[0], rest = required.slice(1).concat(optional);
        // Sort keys pack (best score first, then document number) into one float, so that
        // tens of thousands of matches sort natively in a few milliseconds.
        var sortKeys = new Float64Array(smallest.size), n = 0, DOCS = 1048576;
        smallest.forEach(function (score, doc) {
          for (var i = 1; i < required.length; i++) if (!required[i].has(doc)) return;
          var total = score;
          for (var j = 0; j < rest.length; j++) total += rest[j].get(doc) || 0;
          total += bonus(priors.get(doc) || 0, q.groups.length);
          sortKeys[n++] = (1e7 - Math.max(0, Math.min(Math.round(total * 1000), 1e7 - 1))) * DOCS + doc;
        });
        if (!n && required.length > 1 && !empty.length) n = fewer(required, rest, sortKeys = new Float64Array(union(required)), q);
        sortKeys = sortKeys.subarray(0, n).sort();
        var docs = new Array(n);
        for (var k = 0; k < n; k++) docs[k] = sortKeys[k] % DOCS;
        return { docs: docs, empty: empty, prior: priors };
      });
    }

    return { search: search };
  }

  OCR.searchWords = { create: create };
})(window.OCR = window.OCR || {});
