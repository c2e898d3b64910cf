/*
 * Interim code rules for the ask box, until the shared core/codes.js (branch core) lands:
 * defines window.OCR.codes only where it is not defined yet. Same names and meaning as the
 * core file (generator/systems.py in Python): bare, dotted, seventhCode, systemOf, covers.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  if (OCR.codes) return;

  function bare(code) { return String(code).replace(/\./g, "").toUpperCase(); }

  // An ICD-10-CM code as the code book writes it: 'e1165' -> 'E11.65'.
  function dotted(code) {
    var b = bare(code);
    return /^[A-Z]\d[0-9A-Z]/.test(b) && b.length > 3 ? b.slice(0, 3) + "." + b.slice(3) : b;
  }

  // 'S72.001' + 'A' -> 'S72.001A'; 'T81.4' + 'A' -> 'T81.4XXA'.
  function seventhCode(code, char) {
    var b = bare(code);
    while (b.length < 6) b += "X";
    b += char;
    return b.slice(0, 3) + "." + b.slice(3);
  }

  // The system a code is written in: a dot or a length other than 5 makes a letter code
  // ICD-10-CM; five characters, a letter and four digits, are HCPCS Level II.
  function systemOf(code) {
    var s = String(code).toUpperCase();
    if (/^[A-V]\d{4}$/.test(s)) return "hcpcs";
    if (/^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(s) || /^[A-Z]\d[0-9A-Z]{1,5}$/.test(s)) return "icd-10-cm";
    if (/^\d{4}[0-9FT]$/.test(s)) return "cpt";
    return null;
  }

  // The kind of code a CPT code is: Category I (digits), II (F) or III (T).
  function cptCategory(code) {
    var last = String(code).slice(-1).toUpperCase();
    return last === "F" ? "II" : last === "T" ? "III" : "I";
  }

  // Does the reference `ref` ('E11', 'E10.-', 'I70.2-I70.7', '10004-69990') cover `code`?
  function covers(ref, code) {
    var target = bare(code);
    var ends = String(ref).replace(/\.?-$/, "").split(/-+/);
    if (ends.length === 1) return target.indexOf(bare(ends[0])) === 0;
    if (ends.length !== 2) return false;
    var lo = bare(ends[0]), hi = bare(ends[1]);
    var numeric = /^\d/.test(lo);
    if (numeric !== /^\d/.test(target)) return false;
    if (numeric && (cptCategory(lo) !== cptCategory(target) || cptCategory(hi) !== cptCategory(target))) return false;
    return target.slice(0, lo.length) >= lo && target.slice(0, hi.length) <= hi;
  }

  OCR.codes = { bare: bare, dotted: dotted, seventhCode: seventhCode, systemOf: systemOf, covers: covers };
})(typeof window !== "undefined" ? window : globalThis);
