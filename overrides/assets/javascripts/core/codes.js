/*
 * OCR.codes: the code rules of generator/systems.py, for the browser. A classic script (the
 * offline bundle opens from file://); load core/codes-data.js (generated from Python:
 * `python -m generator.systems`) before it. tests/vectors/codes.json runs against both.
 *
 *   normalize(text)          " e11.65 " -> "E11.65"; whitespace out, upper case, dots kept
 *   bare(text)               "e11.65" -> "E1165"; how codes are compared and filed
 *   normalizeCode(text)      = bare (the name search.js uses)
 *   dotted(code)             "E1165" -> "E11.65", "e11" -> "E11"; null when no ICD-10-CM reading
 *   dotlessHint(code)        "E1165" -> "E11.65"; null unless a dot was left out
 *   readings(text)           [[system, code], ...]: the code as written first, then its
 *                            ICD-10-CM reading without dot ("G0439" -> hcpcs G0439, icd G04.39)
 *   isCode(system, code)     the code format of a system key ("cpt", "hcpcs", "icd-10-cm")
 *   isModifier(system, code)
 *   systemOf(code)           system key of a code as written, or null ("E1165" is hcpcs)
 *   systemOfModifier(code)
 *   sortKey(code)            string; sorting by it is code-book order (C43 < C4A < C44,
 *                            C84.7 < C84.A < C84.Z < C84.9, Z99 < U07); equal to Python's
 *   compare(a, b)            comparator over codes, by sortKey
 *   rangeContains(first, last, code)   inclusive; same system only; 1036F not in 10004-69990
 *   covers(ref, code)        a note's reference ("E08-E13", "E10.-", "I70.2--I70.7-") covers code;
 *                            after "|" alternatives (generator/notes.py): "I69|$22" codes ending
 *                            in 22, "E08-E13|.52", "T36-T50|@4=5|@5=5" (5 at position 4 or 5)
 *   seventhCode(code, char)  "T81.4" + "A" -> "T81.4XXA" (placeholder X)
 *   seventhBase(code)        "T81.4XXA" -> ["T81.4", "A"], or null
 *   parentCode(code, has)    nearest shorter code for which has(code) is true: E11.65 -> E11.6
 *   termShard(term)          which search word file holds a term ("diabet" -> "di")
 *   system(key)              {key, label, folder, code, modifier} of a system, or null
 *   modifierFolder, ambiguous(word)   the modifiers' folder; two-letter words linked only
 *                                     after the word "modifier" ("PT", "OR")
 */
(function () {
  "use strict";

  var OCR = window.OCR = window.OCR || {};
  var DATA = OCR.codesData;
  if (!DATA) throw new Error("core/codes-data.js must be loaded before core/codes.js");

  function whole(source) { return new RegExp("^(?:" + source + ")$"); }

  var SYSTEMS = DATA.systems.map(function (s) {
    return { key: s.key, label: s.label, folder: s.folder,
             code: whole(s.code), modifier: s.modifier ? whole(s.modifier) : null };
  });
  var BY_KEY = {};
  SYSTEMS.forEach(function (s) { BY_KEY[s.key] = s; });
  var ICD_FULL = whole(DATA.patterns.icd);
  var ICD_DOTLESS = whole(DATA.patterns.icdCategory + "[0-9A-Z]{1,4}");
  var X = DATA.placeholder;

  function normalize(text) { return String(text).replace(/\s+/g, "").replace(/\u2013/g, "-").toUpperCase(); }
  function bare(text) { return normalize(text).replace(/\./g, ""); }

  function isCode(key, code) { var s = BY_KEY[key]; return !!s && s.code.test(code); }
  function isModifier(key, code) { var s = BY_KEY[key]; return !!(s && s.modifier && s.modifier.test(code)); }

  function systemOf(code) {
    for (var i = 0; i < SYSTEMS.length; i++) if (SYSTEMS[i].code.test(code)) return SYSTEMS[i].key;
    return null;
  }
  function systemOfModifier(code) {
    for (var i = 0; i < SYSTEMS.length; i++) if (SYSTEMS[i].modifier && SYSTEMS[i].modifier.test(code)) return SYSTEMS[i].key;
    return null;
  }

  function dotted(code) {
    var b = bare(code);
    if (ICD_FULL.test(b)) return b;
    if (ICD_DOTLESS.test(b)) return b.slice(0, 3) + "." + b.slice(3);
    return null;
  }
  function dotlessHint(code) {
    var hint = String(code).indexOf(".") < 0 ? dotted(code) : null;
    return hint && hint.indexOf(".") >= 0 ? hint : null;
  }
  function readings(text) {
    var code = normalize(text), out = [];
    var key = systemOf(code);
    if (key) out.push([key, code]);
    var icd = dotted(code);
    var listed = out.some(function (r) { return r[0] === "icd-10-cm" && r[1] === icd; });
    if (icd && !listed && (icd === code || code.indexOf(".") < 0)) out.push(["icd-10-cm", icd]);
    return out;
  }

  // --- ordering ---------------------------------------------------------------------------

  // As systems._icd_key: two characters per character, in the tabular list's order.
  var PLACES = DATA.places, keys = Object.create(null);
  function icdKey(code) {
    if (code in keys) return keys[code];
    var key;
    if (Object.prototype.hasOwnProperty.call(PLACES, code)) {
      var after = icdKey(PLACES[code]);
      key = after.slice(0, -1) + String.fromCharCode(after.charCodeAt(after.length - 1) + 1);
    } else if (code.length <= 1) {
      key = code ? code + "B" : "";
    } else {
      key = icdKey(code.slice(0, -1)) + code.slice(-1) + "B";
    }
    keys[code] = key;
    return key;
  }
  function sortKey(code) {
    var dash = code.indexOf("-");
    if (dash >= 0) return sortKey(code.slice(0, dash)) + "-" + sortKey(code.slice(dash + 1)).slice(2);
    if (/^\d/.test(code)) return "1" + (/[A-Z]$/.test(code) ? code.slice(-1) : "") + " " + code;
    if (ICD_FULL.test(code)) return "0 " + icdKey(code.replace(/\./g, ""));
    return "0 " + code;
  }
  function compare(a, b) {
    var x = sortKey(a), y = sortKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // --- ranges -----------------------------------------------------------------------------

  function kindOf(code) { return /^\d/.test(code) && /[A-Z]$/.test(code) ? code.slice(-1) : ""; }

  function rangeContains(first, last, code) {
    first = normalize(first); last = normalize(last); code = normalize(code);
    var key = systemOf(first);
    if (!key || systemOf(last) !== key || systemOf(code) !== key) return false;
    if (key === "icd-10-cm") {
      var f = bare(first), l = bare(last), c = bare(code);
      if (Object.prototype.hasOwnProperty.call(DATA.rangeLast, l)) l = DATA.rangeLast[l];   // J40-J4A holds J45, J47
      return icdKey(f) <= icdKey(c.slice(0, f.length)) && icdKey(c.slice(0, l.length)) <= icdKey(l);
    }
    if (kindOf(code) !== kindOf(first)) return false;
    return first <= code && code <= last;
  }

  function meets(alternative, code) {
    var kind = alternative.charAt(0), value = alternative.slice(1);
    if (kind === "$") return (code.length === 7 ? code.slice(0, 6) : code).slice(-value.length) === value;
    if (kind === ".") return code.slice(3, 3 + value.length) === value;
    var eq = value.indexOf("="), at = parseInt(value.slice(0, eq), 10), chars = value.slice(eq + 1);
    return code.slice(at, at + chars.length) === chars;
  }

  function covers(ref, code) {
    var parts = normalize(ref).split("|"), base = parts[0], alternatives = parts.slice(1);
    var b = bare(code);
    if (alternatives.length && !alternatives.some(function (a) { return meets(a, b); })) return false;
    var ends = base.split(/(?<=[0-9A-Z.])-+(?=[A-Z0-9])/).map(function (e) { return e.replace(/-+$/, "").replace(/\.$/, ""); });
    if (ends.length === 2) return rangeContains(ends[0], ends[1], code);
    code = normalize(code);
    var key = systemOf(ends[0]);
    return !!key && systemOf(code) === key && b.indexOf(bare(ends[0])) === 0;
  }

  // --- ICD-10-CM structure ---------------------------------------------------------------

  function seventhCode(code, char) {
    var b = bare(code);
    while (b.length < 6) b += X;
    b += char;
    return b.slice(0, 3) + "." + b.slice(3);
  }
  function seventhBase(code) {
    var b = bare(code);
    if (b.length !== 7 || !ICD_DOTLESS.test(b)) return null;
    var base = b.slice(0, 6).replace(new RegExp(X + "+$"), "");
    return [base.length > 3 ? base.slice(0, 3) + "." + base.slice(3) : base, b.charAt(6)];
  }
  function parentCode(code, has) {
    var head = code;
    while (head.length > 3) {
      head = head.slice(0, -1).replace(/\.$/, "");
      if (has(head)) return head;
    }
    return null;
  }

  function termShard(term) {
    var chars = Array.from(String(term)).slice(0, 2), out = "";
    chars.forEach(function (c) {
      out += /^[A-Za-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    });
    return out;
  }

  var AMBIGUOUS = {};
  DATA.ambiguous.forEach(function (w) { AMBIGUOUS[w] = true; });

  OCR.codes = {
    normalize: normalize, bare: bare, normalizeCode: bare, dotted: dotted, dotlessHint: dotlessHint,
    readings: readings, isCode: isCode, isModifier: isModifier, systemOf: systemOf,
    systemOfModifier: systemOfModifier, sortKey: sortKey, compare: compare,
    rangeContains: rangeContains, covers: covers, seventhCode: seventhCode, seventhBase: seventhBase,
    parentCode: parentCode, termShard: termShard,
    system: function (key) { return BY_KEY[key] || null; },
    modifierFolder: DATA.modifierFolder,
    ambiguous: function (word) { return AMBIGUOUS[String(word).toUpperCase()] === true; }
  };
})();
