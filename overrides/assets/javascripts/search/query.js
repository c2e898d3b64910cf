/*
 * Search, part 2 of 6: what a query asks for.
 *
 * OCR.searchQuery.parse(input, manifest, lunr) -> {text, code, modifier, range, groups, pinned,
 * encounter}. A query may be a code (with or without its dot), a modifier ("59", "mod 59",
 * "-59"), a range ("A00-A09") and always words. Words become groups: each group is satisfied by
 * any of its alternatives (the words as typed, or what an editors' synonym says they mean,
 * data/synonyms.yaml), and an alternative needs all of its words. Words that choose a 7th
 * character ("initial", "sequela") are not required of a title: they pick a family member.
 */
(function (OCR) {
  "use strict";

  var MAX_QUERY = 200;                                 // longer input is cut, not rejected
  // lunr's English stop words: a partly typed last word that may become one is not required.
  var STOP = ("a able about across after all almost also am among an and any are as at be because " +
    "been but by can cannot could dear did do does either else ever every for from get got had has " +
    "have he her hers him his how however i if in into is it its just least let like likely may me " +
    "might most must my neither no nor not of off often on only or other our own rather said say " +
    "says she should since so some than that the their them then there these they this tis to too " +
    "twas us wants was we were what when where which while who whom why will with would yet you " +
    "your").split(" ");
  var MODIFIER = /^(?:(?:mod|modifier|modifiers)\s*|-\s*)?-?([0-9A-Z]{2})$/i;
  var MODIFIER_WORD = /^(?:mod|modifier|modifiers)\s+-?([0-9A-Z]{2})$/i;
  var RANGE = /^([A-Z0-9][A-Z0-9.]*)\s*-\s*([A-Z0-9][A-Z0-9.]*)$/i;
  var CODE = /^[A-Z0-9][A-Z0-9.]*$/i;
  var LONGEST = 5;                                     // words in the longest synonym phrase

  var synonymCache = new WeakMap();
  function synonyms(manifest) {
    var table = synonymCache.get(manifest);
    if (!table) {
      table = Object.create(null);
      (manifest.synonyms || []).forEach(function (s) {
        s[0].forEach(function (phrase) { table[phrase] = { means: s[1], codes: s[2] }; });
      });
      synonymCache.set(manifest, table);
    }
    return table;
  }

  function word(lunr, raw, last) {
    var stem = lunr.stemmer(new lunr.Token(raw)).toString();
    return { raw: raw, stem: stem, prefix: !!last && raw.length >= 2, fuzzy: raw.length >= 5 && !/\d/.test(raw) };
  }

  // Trimmed lower-case tokens, with whether each is a stop word.
  function tokens(lunr, text) {
    return lunr.tokenizer(text).map(function (t) {
      var trimmed = lunr.trimmer(t), raw = trimmed ? trimmed.toString() : "";
      return { raw: raw, stop: !!raw && !lunr.stopWordFilter(trimmed) };
    }).filter(function (t) { return t.raw; });
  }

  function parse(input, manifest, lunr) {
    var text = String(input == null ? "" : input).slice(0, MAX_QUERY);
    var partial = !/\s$/.test(text);                 // still typing the last word
    text = text.replace(/\s+/g, " ").trim();
    var q = { text: text, modifier: null, range: null, code: null, groups: [], pinned: [], encounter: [] };
    if (!text) return q;
    var norm = OCR.codes.bare;
    var m = MODIFIER_WORD.exec(text) || MODIFIER.exec(text);
    if (m) q.modifier = m[1].toUpperCase();
    var r = RANGE.exec(text);
    if (r && /\d/.test(r[1]) && /\d/.test(r[2]) && norm(r[1]).length >= 3) q.range = [norm(r[1]), norm(r[2])];
    if (CODE.test(text) && /\d/.test(text) && norm(text).length >= 2) q.code = norm(text);
    if (MODIFIER_WORD.test(text)) return q;

    var table = synonyms(manifest), encounter = Object.create(null);
    (manifest.encounter || []).forEach(function (s) { encounter[s] = true; });
    var toks = tokens(lunr, text), content = toks.filter(function (t) { return !t.stop; });
    for (var i = 0; i < toks.length; i++) {
      var last = partial && i === toks.length - 1;
      // The longest synonym phrase starting here, stop words included ("history of").
      var found = null, len = 0;
      for (var n = Math.min(LONGEST, toks.length - i); n >= 1 && !found; n--) {
        var phrase = toks.slice(i, i + n).map(function (t) { return t.raw; }).join(" ");
        if (table[phrase] && !(n === 1 && toks[i].stop)) { found = table[phrase]; len = n; }
      }
      if (found) {
        var typed = toks.slice(i, i + len).filter(function (t) { return !t.stop; });
        var alts = [typed.map(function (t, j) { return word(lunr, t.raw, last && j === typed.length - 1); })];
        if (found.means) {
          var meant = tokens(lunr, found.means).filter(function (t) { return !t.stop; });
          if (meant.length) alts.push(meant.map(function (t) { return word(lunr, t.raw, false); }));
        }
        q.groups.push({ raw: typed.map(function (t) { return t.raw; }).join(" "), alts: alts, required: true });
        if (found.codes.length && len >= toks.length - countStops(toks, i, len)) q.pinned = found.codes.slice();
        i += len - 1;
        continue;
      }
      var t = toks[i];
      var mayBecomeStop = last && STOP.some(function (w) { return w.indexOf(t.raw) === 0; });
      if (t.stop && !last) continue;
      var w = word(lunr, t.raw, last);
      if (encounter[w.stem] && content.length > 1) { q.encounter.push(w.stem); continue; }
      q.groups.push({
        raw: t.raw, alts: [[w]],
        // A digit is a whole word ("ckd 4"); a single letter may still be typed on.
        required: !(t.stop || mayBecomeStop || (last && t.raw.length < 2 && !/\d/.test(t.raw)))
      });
    }
    return q;
  }

  // Stop words outside a phrase: "heart attack" pins its codes in "a heart attack" too.
  function countStops(toks, start, len) {
    var n = 0;
    toks.forEach(function (t, j) { if (t.stop && (j < start || j >= start + len)) n++; });
    return n;
  }

  OCR.searchQuery = { parse: parse, MAX_QUERY: MAX_QUERY };
})(window.OCR = window.OCR || {});
