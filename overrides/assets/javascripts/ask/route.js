/*
 * From a question to an answer (OCR.ask.answer): read the question (ask/intents.js), look up
 * what it names (ask/store.js), then choose the one answer the records support, in this order:
 * questions the reference holds nothing for (payment, coverage, bundling, NCCI, payers, three
 * or more codes) get an honest refusal; a code the reference does not hold gets "not in this
 * reference yet", never a look-alike from another system; then modifiers, two ICD-10-CM codes,
 * and what the question asks of one code.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask;
  var A = ask.answers, h = A.h;
  var MAX_QUESTION = 300;
  var SYSTEM_NAMES = { hcpcs: "a HCPCS Level II code", cpt: "a CPT code", "icd-10-cm": "an ICD-10-CM code" };

  function resolve(store, m) {
    if (m.kind === "modifier") return store.getModifier(m.code);
    if (m.kind === "range") return store.getRange(m.code);
    if (store.manifest.ranges[m.code]) return store.getRange(m.code);
    return store.getCode(m.code, m.system).then(function (e) {
      // "25" or "TC" written without the word modifier.
      if (e) return e;
      if (store.manifest.modifiers[m.code]) return store.getModifier(m.code);
      // A code deleted since FY2024 or added after the release shown (ask/release.js).
      var system = m.system || OCR.codes.systemOf(m.code);
      return system === "icd-10-cm" ? store.getPast(m.code) : null;
    });
  }

  // A code the reference does not hold: say which system its form belongs to, and what the
  // reference holds of that system.
  function notHeld(ctx, read, missing, known) {
    var store = ctx.store, k = A.kit(ctx);
    var a = A.unknown(ctx, read.text, "");
    a.parts = [];
    a.verdict = "not-held";
    a.lead = missing.map(function (m) { return m.code; }).join(", ") + (missing.length === 1 ? " is" : " are") + " not in this reference yet.";
    missing.forEach(function (m) {
      var system = m.kind === "code" ? m.system || OCR.codes.systemOf(m.code) : null;
      var why;
      if (m.kind === "modifier") why = "Modifier " + m.code + " is not among the CPT and HCPCS Level II modifiers the reference holds.";
      else if (m.kind === "range") why = m.code + " is not a range the reference has a page for.";
      else if (system === "icd-10-cm" && store.holdsCategory(m.code)) why = m.code + " is written as an ICD-10-CM code, and the ICD-10-CM tabular list this reference holds has no such code.";
      else if (system) why = m.code + " is written as " + SYSTEM_NAMES[system] + ", and this reference does not hold it yet" + (system === "hcpcs" ? " (it holds a few HCPCS Level II codes; an ICD-10-CM code is always written with a dot after its third character)." : ".");
      else why = m.code + " is not a code the reference knows.";
      a.add(h("p", { text: why }));
    });
    if (known.length) {
      a.add(h("p", { text: "The reference does hold:" }));
      a.add(k.list(known.map(function (e) { a.cite(e); return k.named(e); })));
    }
    a.add(h("p", {}, ["Try ", h("a", { href: ctx.links.search(read.text), "class": "cc-ask__search", text: "searching the reference" }),
      ", or ", h("a", { href: ctx.links.expert(read.text, "", ctx.from), "class": "cc-ask__expert-link", text: "ask an expert" }), "."]));
    return a;
  }

  // "difference between 99213 and 99214": what each is, side by side.
  function compareCodes(ctx, items) {
    var k = A.kit(ctx), a = new A.Answer("compare", items.map(function (e) { return e.c + " is \u201c" + e.t + "\u201d"; }).join("; ") + ".");
    items.forEach(function (e) {
      a.cite(e);
      a.add(h("div", { "class": "cc-ask__side" }, [h("h4", {}, [k.link(e), " " + e.t]), e.d ? h("p", { text: e.d }) : null]));
    });
    a.add(h("p", { text: "Whether they may be billed together is decided by NCCI edits and payer rules, which the reference does not include." }));
    return a;
  }

  function sequenceTypes(lower) {
    if (/\bcode also\b/.test(lower)) return ["code_also"];
    var first = /\b(?:primary|principal)\b|\bcode first\b|\bfirst\b|\bbefore\b|\bunderlying\b|\betiology\b|\bsequenc/.test(lower);
    var after = /\badditional\b|\bafter\b/.test(lower);
    if (first && !after) return ["code_first"];
    if (after && !/\bfirst\b/.test(lower)) return ["use_additional"];
    return ["code_first", "use_additional", "code_also"];
  }

  // What the question asks of one record.
  function single(ctx, one, read) {
    var asks = read.asks, icd = one.s === "icd-10-cm";
    if (one.k === "m") {
      if (asks.usage || (asks.compare && one.rel && one.rel.confused_with)) return A.modifierUsage(ctx, one);
      return A.whatIs(ctx, one);
    }
    if (icd && asks.where) return A.where(ctx, one);
    if (icd && one.k === "c") {
      // CC/MCC, principal diagnosis, first release, validity on a date (ask/release.js).
      var release = ask.release.answer(ctx, one, read);
      if (release) return release;
      var takesSeventh = !!(one.x || one.seventh);
      // "what is z23 encounter for immunization" asks what Z23 is: the word "encounter" in a
      // title is not a 7th-character question.
      if (asks.seventhExplicit || (asks.encounter && takesSeventh && !asks.what)) return A.seventh(ctx, one, read.text);
      if (asks.sequence) return A.instructions(ctx, one, sequenceTypes(read.lower), "sequence", "What to code with " + one.c + " " + one.t);
      if (asks.excludes) return A.instructions(ctx, one, ["excludes1", "excludes2"], "excludes", "Excludes notes for " + one.c + " " + one.t);
      if (one.b !== 1 && asks.children && !asks.what) return A.children(ctx, one);
      return A.whatIs(ctx, one);
    }
    if (one.k === "r") {
      if (icd && asks.sequence) return A.instructions(ctx, one, sequenceTypes(read.lower), "sequence", "What to code with " + one.c + " " + one.t);
      if (icd && asks.excludes) return A.instructions(ctx, one, ["excludes1", "excludes2"], "excludes", "Excludes notes for " + one.c + " " + one.t);
      if (asks.what && !asks.children) return A.whatIs(ctx, one);
      return A.children(ctx, one);
    }
    return A.whatIs(ctx, one);
  }

  function decide(ctx, read, found) {
    var known = [], missing = [];
    read.mentions.forEach(function (m, i) {
      if (found[i]) { if (known.indexOf(found[i]) < 0) known.push(found[i]); } else missing.push(m);
    });
    var named = read.mentions.filter(function (m) { return m.kind !== "modifier"; });
    // "is I50.9 an MCC for Medicare": the word Medicare alone does not make a CC question a
    // payer question; the FY2026 MS-DRG lists and the Medicare Code Editor are in the reference.
    var medicareFact = read.outside === ask.intents.PAYER_WHY && ask.release.kindOf(read) && !/\b(?:medicaid|bcbs|aetna|uhc|cigna|humana|payers?|insurance|commercial)\b/.test(read.lower);
    if (read.outside && !medicareFact) return A.refuse(ctx, read.text, read.outside, known);
    if (named.length >= 3) {
      return A.refuse(ctx, read.text, "The ask box answers about one code or a pair of codes; a question about " + named.length +
        " codes needs the codes' own pages, or an expert.", known);
    }
    if (missing.length) return notHeld(ctx, read, missing, known);
    // A code deleted since FY2024 or not yet in the release shown: its release history.
    var past = known.filter(function (e) { return e.past; })[0];
    if (past) return ask.release.past(ctx, past, read);
    var mods = known.filter(function (e) { return e.k === "m"; });
    var items = known.filter(function (e) { return e.k === "c"; });
    var icd = items.filter(function (e) { return e.s === "icd-10-cm"; });
    if (items.length === 2 && !icd.length && read.asks.compare && !read.asks.together && !/\bbill|\breport|\bsame (day|claim)/.test(read.lower)) {
      return compareCodes(ctx, items);
    }
    if (items.length >= 2 && icd.length < items.length) {
      // Whether procedure codes are billed together, or a procedure with a diagnosis, is decided
      // by NCCI edits and payer rules, which the reference does not hold.
      return A.refuse(ctx, read.text, "Whether " + items.map(function (e) { return e.c; }).join(" and ") +
        " may be billed together depends on NCCI edit pairs and payer rules, which this reference does not include. Excludes notes only apply between ICD-10-CM codes.", known);
    }
    if (mods.length >= 2) return A.compareModifiers(ctx, mods);
    if (icd.length >= 2) return A.together(ctx, icd[0], icd[1], read);
    if (mods.length === 1 && items.length === 1) {
      return A.modifierUsage(ctx, mods[0]).then(function (a) {
        a.cite(items[0]);
        a.add(h("p", {}, ["Whether it applies to ", A.kit(ctx).named(items[0]),
          " in a given case also depends on NCCI edits and payer rules, which the reference does not include."]));
        return a;
      });
    }
    if (known.length) return single(ctx, known[0], read);
    if (read.asks.modifierWord) {
      return A.modifierFind(ctx, read).then(function (a) { return a || A.topics(ctx, read.text) || A.unknown(ctx, read.text, ""); });
    }
    return A.topics(ctx, read.text) || A.unknown(ctx, read.text, "");
  }

  // The answer to a question, or null for an empty one. ctx: {store, links, from}.
  ask.answer = function (ctx, question) {
    var text = String(question || "").slice(0, MAX_QUESTION).trim();
    if (!text) return Promise.resolve(null);
    return ctx.store.ready().then(function (manifest) {
      var read = ask.intents.read(text, manifest);
      return Promise.all(read.mentions.map(function (m) { return resolve(ctx.store, m); })).then(function (found) {
        return decide(ctx, read, found);
      });
    });
  };
  ask.MAX_QUESTION = MAX_QUESTION;
})(typeof window !== "undefined" ? window : globalThis);
