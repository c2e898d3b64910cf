/*
 * The 7th character of an ICD-10-CM code (OCR.ask.answers.seventh): which characters a code
 * takes, what each means, and the full code, from the 7th-character definitions at the code or
 * the nearest level above it. Also topics (OCR.ask.answers.topics): pages of the reference that
 * match the words of a question naming no code.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask;
  var codes = OCR.codes;
  var A = ask.answers, h = A.h;

  var ENCOUNTER = [
    { word: /\binitial\b|\bfirst\b|\bactive\b/, key: "initial encounter" },
    { word: /\bsubsequent\b|\bfollow[- ]?up\b|\broutine healing\b|\brecovery\b/, key: "subsequent encounter" },
    { word: /\bsequela[es]?\b|\blate effect/, key: "sequela" }
  ];
  var QUALIFIERS = ["open", "closed", "delayed healing", "nonunion", "malunion", "routine healing",
    "type i or ii", "type iiia", "fetus"];

  function seventh(ctx, entry, question) {
    var k = A.kit(ctx), a = new A.Answer("seventh", "");
    a.cite(entry);
    var base = entry.origin || entry;
    if (entry.seventh) a.cite(base);
    return ctx.store.definer(base).then(function (d) {
      if (!d) {
        a.verdict = "none";
        a.lead = base.c + " takes no 7th character.";
        a.add(h("p", { text: "No 7th-character definition applies to " + base.c + " or to any code, category, block or chapter above it." }));
        return a;
      }
      a.cite(d);
      if (!base.x) {
        a.verdict = "header";
        a.lead = base.c + " is not a complete code yet: choose a code under it, then add the 7th character.";
        a.add(h("p", {}, ["The 7th characters are defined at ", k.at(d), "."]));
        return A.children(ctx, base).then(function (c) { c.parts.forEach(function (p) { a.add(p); }); return a; });
      }
      var lower = question.toLowerCase();
      var wanted = ENCOUNTER.filter(function (e) { return e.word.test(lower); });
      var quals = QUALIFIERS.filter(function (q) { return lower.indexOf(q) >= 0; });
      var rows = Object.keys(d.sd).filter(function (c) { return base.x.indexOf(c) >= 0; }).map(function (c) { return [c, d.sd[c]]; });
      var matching = rows.filter(function (r) {
        var meaning = r[1].toLowerCase();
        return (!wanted.length || wanted.some(function (e) { return meaning.indexOf(e.key) >= 0; })) &&
          quals.every(function (q) { return meaning.indexOf(q) >= 0 || (q === "closed" && meaning.indexOf("open") < 0 && meaning.indexOf("closed") < 0); });
      });
      // "7th character A for S72.001": the character is named.
      var named = /\b(?:7th|seventh)\s+(?:character|char|digit)\s+([A-Z0-9])\b/i.exec(question);
      if (named && !entry.seventh && base.x.indexOf(named[1].toUpperCase()) >= 0) {
        matching = rows.filter(function (r) { return r[0] === named[1].toUpperCase(); });
        wanted = [true];
      }
      // "What does D mean on S72.001D?": the code already carries its 7th character.
      if (entry.seventh && !wanted.length) matching = rows.filter(function (r) { return r[0] === entry.seventh; });
      var none = !matching.length;
      if (!none && !entry.seventh && !wanted.length && !quals.length) none = true;
      if (none && !(entry.seventh && !wanted.length)) matching = rows;
      var first = matching[0];
      a.verdict = first[0];
      var code = codes.seventhCode(base.c, first[0]);
      if (entry.seventh && !wanted.length) a.lead = "In " + entry.c + ", the 7th character " + first[0] + " means " + first[1] + ".";
      else if (matching.length === 1 || !none) a.lead = "7th character " + first[0] + " (" + first[1] + "): " + code + ".";
      else { a.lead = base.c + " takes these 7th characters."; a.verdict = "list"; }
      a.add(k.list(matching.map(function (r) {
        var c = codes.seventhCode(base.c, r[0]);
        return h("span", {}, [h("strong", { text: r[0] }), " " + r[1] + ": ",
          h("a", { href: ctx.links.code(base.s, c), "class": "cc-ask__code", text: c })]);
      })));
      if (wanted.length && matching.length > 1) {
        a.add(h("p", { text: "More than one 7th character fits that description; the first is the usual one, the others apply to the cases they name." }));
      }
      a.add(h("p", {}, ["Defined at ", k.at(d), /X/.test(code.slice(4, 7)) ? ". The placeholder X fills the empty positions before the 7th character." : "."]));
      return a;
    });
  }

  function topics(ctx, question) {
    var I = ask.intents, qw = I.words(question).map(I.stem), m = ctx.store.manifest;
    if (!qw.length) return null;
    var scored = [];
    function score(title, extra) {
      var tw = I.words(title).map(I.stem), ew = I.words(extra || "").map(I.stem), s = 0, matched = 0;
      function has(list, w) { return list.some(function (t) { return I.sameWord(t, w); }); }
      qw.forEach(function (w) {
        if (has(tw, w)) { s += 3; matched++; }
        else if (has(ew, w)) { s += 1; matched++; }
      });
      // A page that shares one word of a longer question is not an answer to it.
      return matched >= Math.ceil(qw.length / 2) ? s : 0;
    }
    m.topics.forEach(function (t) {
      var s = score(t[0], t[2]);
      if (s >= 3) scored.push({ s: s, title: t[0], url: ctx.links.href(t[1]) });
    });
    Object.keys(m.ranges).forEach(function (code) {
      var r = m.ranges[code], s = score(r[0], "");
      if (s >= 3) scored.push({ s: s + 0.5, title: (r[2] ? "Chapter " + r[2] + ": " : "") + r[0] + " (" + code + ")", url: ctx.links.code(r[1], code) });
    });
    if (!scored.length) return null;
    scored.sort(function (x, y) { return y.s - x.s; });
    var top = scored.filter(function (t) { return t.s >= scored[0].s - 1; }).slice(0, 5);
    var a = new A.Answer("topic", "The reference has " + (top.length === 1 ? "a page" : "pages") + " on that:");
    a.add(A.kit(ctx).list(top.map(function (t) { return h("a", { href: t.url, text: t.title }); })));
    top.forEach(function (t) { a.sources.push({ topic: true, title: t.title, url: t.url }); });
    a.add(h("p", {}, ["For a code by its words, ", h("a", { href: ctx.links.search(question), "class": "cc-ask__search", text: "search the reference" }), "."]));
    return a;
  }

  A.seventh = seventh;
  A.topics = topics;
})(typeof window !== "undefined" ? window : globalThis);
