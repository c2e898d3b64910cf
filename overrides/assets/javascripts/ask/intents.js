/*
 * Reading a question (OCR.ask.intents): which codes, ranges and modifiers it names, in the
 * system they are written in, and what it asks about them. Pure functions of the text and the
 * manifest (the list of modifiers and ranges): no records are loaded here.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask = OCR.ask || {};
  var codes = OCR.codes;

  var STOP = ("a about all also am an and any are as at be been between by can code codes coded " +
    "coding could difference do does for from get have how i if in into is it its me modifier " +
    "modifiers mod mean means meaning of on or should than that the their them then there these this " +
    "to use used using vs versus was we what when where which while who why will with would you " +
    "your tell explain please give show list my vs. compare type other unspecified specified find " +
    "look need know want page pages append appended add added correct right proper best").split(" ");

  // Code-shaped words, from the code formats of generator/systems.py (core/codes-data.js);
  // which system a word is in is decided by OCR.codes.
  var P = OCR.codesData.patterns;
  var ICD = new RegExp("\\b(" + P.icd + ")(?![\\w.-])", "gi");
  var ICD_DOTLESS = new RegExp("\\b(" + P.icdCategory + "[0-9A-Z]{1,4})\\b", "gi");
  var CPT = new RegExp("\\b(" + P.cpt + ")\\b", "gi");
  var ONE = P.icd + "|" + P.cpt;
  var RANGE = new RegExp("\\b(" + ONE + ")\\s*(?:-|\u2013|to|through)\\s*(" + ONE + ")\\b", "gi");
  var MOD_WORD = /\b(?:modifiers?|mods?)\s*[:#-]?\s*-?([0-9A-Za-z]{2})\b((?:\s*(?:,|\/|&|and|or|vs\.?|versus|v\.?|instead of|rather than)\s*(?:modifier\s*)?-?\s*[0-9A-Za-z]{2}\b)*)/gi;
  var MOD_BEFORE_WORD = /(?:^|[\s(,\/])-?([0-9A-Za-z]{2})\s+modifiers?\b/gi;
  var MOD_TOKEN = /(?:^|[\s(,\/-])-?([0-9A-Za-z]{2})(?=$|[\s),.?!\/:;'"])/g;

  // Codes, ranges and modifiers named in a question, in order of appearance.
  function mentions(text, manifest) {
    var found = [], covered = [], m;
    function add(pos, kind, code, system) {
      if (!found.some(function (f) { return f.kind === kind && f.code === code; })) {
        found.push({ pos: pos, kind: kind, code: code, system: system || null });
      }
    }
    function free(start, end) {
      return !covered.some(function (c) { return start < c[1] && end > c[0]; });
    }
    // Two-letter words that are also modifiers (codes.ambiguous: "AS", "PT", "GT") count only
    // after the word "modifier", or joined to another modifier: "80 and AS", "gt or 95" (not
    // "XU vs 59 for PT").
    function modifier(pos, token, strong) {
      var t = token.toUpperCase();
      if (!manifest.modifiers[t]) return false;
      if (!strong && codes.ambiguous(t) && !beside(pos, token)) return false;
      add(pos, "modifier", t);
      return true;
    }
    function beside(pos, token) {
      if (!found.some(function (f) { return f.kind === "modifier"; })) return false;
      var around = text.slice(Math.max(0, pos - 12), pos + token.length + 12).toLowerCase();
      return new RegExp("(\\b(or|vs\\.?|versus|and|instead of|rather than)\\s+-?" + token.toLowerCase() + "\\b)|(\\b" +
        token.toLowerCase() + "\\s+(or|vs\\.?|versus|and|instead of|rather than)\\b)").test(around);
    }
    RANGE.lastIndex = 0;
    while ((m = RANGE.exec(text))) {
      var a = codes.dotted(m[1]) || codes.normalize(m[1]), b = codes.dotted(m[2]) || codes.normalize(m[2]);
      if (/^\d/.test(a) === /^\d/.test(b)) {
        add(m.index, "range", a + "-" + b);
        covered.push([m.index, m.index + m[0].length]);
      }
    }
    MOD_WORD.lastIndex = 0;
    while ((m = MOD_WORD.exec(text))) {
      var tokens = [m[1]].concat((m[2] || "").replace(/instead of|rather than|modifier/gi, " ")
        .match(/\b[0-9A-Za-z]{2}\b/g) || []);
      tokens.forEach(function (c) {
        var up = c.toUpperCase();
        // "modifier ZZ" names a modifier the reference lacks; "modifier do I use" does not.
        if (up === "OR" || up === "VS" || modifier(m.index, c, true)) return;
        if ((c === up || /\d/.test(c)) && !codes.ambiguous(up) && codes.systemOfModifier(up)) add(m.index, "modifier", up);
      });
      covered.push([m.index, m.index + m[0].length]);
    }
    MOD_BEFORE_WORD.lastIndex = 0;
    while ((m = MOD_BEFORE_WORD.exec(text))) {
      var at = m.index + m[0].indexOf(m[1]);
      if (free(at, at + 2) && modifier(at, m[1], true)) covered.push([at, at + 2]);
    }
    [CPT, ICD, ICD_DOTLESS].forEach(function (re) {
      re.lastIndex = 0;
      while ((m = re.exec(text))) {
        if (!free(m.index, m.index + m[0].length)) continue;
        // A code is read in the system it is written in: G0439 is HCPCS, never G04.39.
        var written = codes.normalize(m[1]), system = codes.systemOf(written);
        var code = re === CPT || system === "hcpcs" ? written : codes.dotted(written) || written;
        if (!system) system = codes.systemOf(code);
        add(m.index, "code", code, system);
        covered.push([m.index, m.index + m[0].length]);
      }
    });
    // Modifiers written bare: "52 vs 53", "xe instead of 59", "-25".
    var later = [];
    MOD_TOKEN.lastIndex = 0;
    while ((m = MOD_TOKEN.exec(text))) {
      var start = m.index + m[0].indexOf(m[1]);
      if (!free(start, start + 2)) continue;
      if (codes.ambiguous(m[1])) later.push([start, m[1]]);
      else modifier(start, m[1], false);
    }
    later.forEach(function (l) { modifier(l[0], l[1], false); });
    found.sort(function (x, y) { return x.pos - y.pos; });
    return found;
  }

  // "chapter 4": the ICD-10-CM chapter's range.
  function chapters(text, manifest) {
    var out = [], re = /\bchapter\s+(\d{1,2})\b/gi, m;
    while ((m = re.exec(text))) {
      var number = String(parseInt(m[1], 10));
      Object.keys(manifest.ranges).forEach(function (code) {
        if (manifest.ranges[code][2] === number) out.push({ pos: m.index, kind: "range", code: code });
      });
    }
    return out;
  }

  function words(text) {
    return text.toLowerCase().replace(/e\/m\b|e&m\b|\bem\b/g, "evaluation management")
      .replace(/[^a-z0-9\s]/g, " ").split(/\s+/).filter(function (w) {
        return w.length > 1 && STOP.indexOf(w) < 0;
      });
  }

  function stem(w) { return w.replace(/(ies|es|s|ing|ed|al|ally)$/, ""); }

  // Words match whole, or by their first six letters ("hypertension", "hypertensive").
  function sameWord(a, b) {
    return a === b || (a.length >= 6 && b.length >= 6 && a.slice(0, 6) === b.slice(0, 6));
  }

  // What the question asks, independent of the codes it names.
  var ASKS = {
    what: /^\s*(?:so\s+)?(?:what(?:'s|\u2019s| is| are| does| do)|whats|define|definition|describe|meaning of|tell me about|explain)\b|\bmean(?:s|ing)?\b|\bstand for\b|\bdescriptor\b|\bbillable\b|\bvalid\b|\bheader\b/,
    seventhExplicit: /\b7th\b|\bseventh\b|\bcharacter\b|\bextension\b|\bepisode of care\b/,
    encounter: /\binitial\b|\bsubsequent\b|\bsequela[es]?\b|\bfollow[- ]?up\b|\blate effect|\bactive treatment\b/,
    together: /\btogether\b|\bwith\b|\balongside\b|\bsame (claim|time|encounter|visit|record|day)\b|\bboth\b|\bexclud|\bin addition to\b|\bplus\b|\balong with\b|\band\b.*\?$/,
    compare: /\bvs\.?\b|\bversus\b|\bdiff\b|\bdiffer|\bcompare|\bdistinguish|\bor\b|\binstead of\b|\brather than\b/,
    sequence: /\b(?:be|as) (?:the )?(?:primary|principal|first[- ]listed)\b|\b(?:primary|principal|first[- ]listed) (?:diagnosis|dx|code)\b|\bcode first\b|\bgo(?:es)? with\b|\bsequenc|\buse additional\b|\badditional code|\bcode also\b|\bcoded? (first|before|after)\b|\bwhat else\b|\bunderlying\b|\betiology\b|\bmanifestation\b|\bgoes first\b|\blisted first\b|\bprimary\b.*\bsecondary\b/,
    excludes: /\bexclud/,
    children: /\bunder\b|\bwithin\b|\binside\b|\bsubcodes?\b|\bsub-codes?\b|\bsubcategor|\bchildren\b|\bchild codes\b|\bbelong|\bfalls? (under|in)\b|\bwhat codes\b|\bwhich codes\b|\bcodes (are )?in\b|\bwhat(?:'s| is) in\b|\blist\b|\bbreakdown\b|\binclude[sd]? in\b|\bmore specific\b/,
    usage: /\bwhen\b|\bhow (to|do|should|is|are)\b|\bappend|\bused? (for|with|on)\b|\bbe used\b|\bshould i use\b|\bcan (i|you|we) (use|add|bill)\b|\busage\b|\bapply\b|\bappropriate\b|\bcorrect(ly)?\b|\brules?\b/,
    where: /\b(what|which) (chapter|block|section|category|subcategory)\b|\bbreadcrumb|\bparent\b|\bhierarchy\b|\bwhere (is|does|do)\b.*\b(fall|sit|belong|found|located|classified)|\bclassified (under|in)\b/,
    modifierWord: /\bmodifiers?\b|\bmods?\b/,
    // Release and Medicare questions about one ICD-10-CM code (ask/release.js).
    ccmcc: /\bm?cc\b|\bcomplication or comorbidit|\bcc exclusion/,
    principalEdit: /\bprincipal\b|\bpdx\b|\bmce\b|\bmedicare code editor\b|\bunacceptable\b/,
    added: /\bnew\b|\badded\b|\bintroduced\b|\bcreated\b|\brevised\b|\bwhen (?:was|did|were)\b|\bsince when\b|\bhistory\b|\beffective (?:date|since|from)\b|\bfirst (?:appear|release|valid|effective)/,
    stillValid: /\bstill (?:valid|good|active|billable|in use|usable)\b|\bvalid (?:now|today|currently)\b|\bcurrently valid\b/,
    // Not "removed", "expired" or "terminated": coders ask about removals, deaths and pregnancies.
    deleted: /\bdelet(?:ed|ion)\b|\bretired\b|\bdiscontinued\b|\bno longer (?:valid|exists?|used|in use|billable|a code)\b|\bstill exists?\b|\bwhat replaced\b|\breplaced by\b|\breplacement codes?\b/
  };

  // Questions the reference holds nothing to answer with: the reason, or null.
  var PAYERS = "bcbs|blue ?cross|blue ?shield|aetna|uhc|united ?health ?care|unitedhealth|cigna|humana|" +
    "medicare|medicaid|anthem|tricare|kaiser|wellcare|molina|optum|ambetter|centene|highmark|payers?|" +
    "insurance|insurers?|commercial plans?";
  var OUTSIDE = [
    { re: /\b(pay|pays|paid|payment|reimburs\w*|fee schedules?|fees?|rvus?|allowables?|allowed amount|price|cost|how much|charges?)\b/,
      why: "Payment amounts and fee schedules are not in the reference." },
    { re: /\b(ncci|cci|ptp|mues?|edit pairs?|ncci edits?|column (1|2|one|two)|mutually exclusive)\b/,
      why: "NCCI edit pairs and medically unlikely edits are not in the reference." },
    { re: /\b(bundl\w*|unbundl\w*|global (period|surgical|package|days)|separately (billable|reportable|payable)|inclusive of|included in the (payment|global))\b/,
      why: "Bundling is decided by NCCI edits, global surgery rules and payer policies, which are not in the reference." },
    { re: new RegExp("\\b(" + PAYERS + ")\\b"),
      why: "Payer rules (Medicare, Medicaid, commercial plans) are not in the reference." },
    { re: /\b(medical necessity|medically necessary|lcds?|ncds?|prior auth\w*|preauthori\w*|denied|denials?|deny|coverage|abn)\b/,
      why: "Coverage, medical necessity and payer policies are not in the reference." }
  ];

  var PAYER_WHY = OUTSIDE[3].why;

  function outside(lower) {
    var hit = OUTSIDE.filter(function (o) { return o.re.test(lower); })[0];
    return hit ? hit.why : null;
  }

  // The question, read: {text, lower, mentions, outside, asks: {what: bool, ...}}.
  function read(question, manifest) {
    var text = String(question || "").trim();
    var lower = text.toLowerCase();
    var asks = {};
    Object.keys(ASKS).forEach(function (k) { asks[k] = ASKS[k].test(lower); });
    // A date or release ("December 2026", "2025-03-01", "FY2027") is blanked before codes and
    // modifiers are looked for: the 25 of "12/25/2026" is no modifier.
    var when = ask.release ? ask.release.when(lower, manifest) : null;
    var scan = when ? text.slice(0, lower.indexOf(when.text)) + when.text.replace(/./g, " ") +
      text.slice(lower.indexOf(when.text) + when.text.length) : text;
    return {
      text: text, lower: lower, asks: asks, outside: outside(lower), when: when,
      mentions: chapters(scan, manifest).concat(mentions(scan, manifest))
    };
  }

  ask.intents = { read: read, mentions: mentions, words: words, stem: stem, sameWord: sameWord,
                  outside: outside, ASKS: ASKS, PAYER_WHY: PAYER_WHY };
})(typeof window !== "undefined" ? window : globalThis);
