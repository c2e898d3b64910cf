/*
 * Building answers from records (OCR.ask.answers). An answer is plain data: a kind, a verdict,
 * a lead sentence, parts and the records it cites, each part a small tree of
 * {tag, attrs, children} nodes and strings that ask/ui.js turns into DOM with textContent only,
 * and that node --test reads without a browser. `ctx` holds the store (ask/store.js) and the
 * links (ask/links.js).
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask = OCR.ask || {};
  var codes = OCR.codes;
  var MAX_LIST = 60;

  function h(tag, attrs, children) {
    var node = { tag: tag, attrs: {}, children: [] };
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.children.push(String(attrs[k]));
      else node.attrs[k] = attrs[k];
    });
    (children || []).forEach(function (c) { if (c != null && c !== false && c !== "") node.children.push(c); });
    return node;
  }

  // The text of a node tree, as a reader sees it.
  function textOf(node) {
    if (node == null) return "";
    if (typeof node === "string") return node;
    return node.children.map(textOf).join("");
  }

  function Answer(kind, lead) {
    this.kind = kind;
    this.lead = lead;
    this.parts = [];
    this.sources = [];
    this.verdict = null;
  }
  Answer.prototype.cite = function (entry) {
    if (entry && !this.sources.some(function (s) { return s.c === entry.c && s.k === entry.k; })) this.sources.push(entry);
    return this;
  };
  Answer.prototype.add = function (node) { this.parts.push(node); return this; };
  Answer.prototype.text = function () {
    return [this.lead].concat(this.parts.map(textOf)).join("\n");
  };

  var LABELS = { code_first: "Code first", use_additional: "Use additional code", code_also: "Code also",
                 excludes1: "Excludes1", excludes2: "Excludes2", includes: "Includes", notes: "Note" };

  function kit(ctx) {
    var m = ctx.store.manifest;
    function link(entry) { return h("a", { href: ctx.links.record(entry), "class": "cc-ask__code", text: entry.c }); }
    function named(entry) { return h("span", {}, [entry.k === "m" ? "modifier " : "", link(entry), " " + entry.t]); }
    // `entry` named with its level: "category E11 Type 2 diabetes mellitus".
    function at(entry) { return h("span", {}, [ask.level(entry) + " ", link(entry), " " + entry.t]); }
    // A note with its code references linked: [text, [[start, end, code, kind(, covers)], ...]].
    function note(n) {
      var text = n[0], out = h("span", { "class": "cc-ask__note-text" }), pos = 0;
      n[1].forEach(function (r) {
        if (r[0] < pos) return;
        out.children.push(text.slice(pos, r[0]));
        var url = ctx.links.ref(r[2], r[3]);
        out.children.push(url ? h("a", { href: url, text: text.slice(r[0], r[1]) }) : text.slice(r[0], r[1]));
        pos = r[1];
      });
      out.children.push(text.slice(pos));
      return out;
    }
    function list(items) { return h("ul", {}, items.map(function (i) { return h("li", {}, [i]); })); }
    function systemLabel(entry) {
      var label = m.labels[entry.s] || "";
      return label + (entry.k === "m" ? " modifier" : entry.k === "r" ? " code range" : " code");
    }
    return { link: link, named: named, at: at, note: note, list: list, systemLabel: systemLabel };
  }

  function whatIs(ctx, entry) {
    var k = kit(ctx), a = new Answer("what", "");
    a.cite(entry);
    a.lead = (entry.k === "m" ? "Modifier " : "") + entry.c + " is the " + k.systemLabel(entry) + " \u201c" + entry.t + "\u201d.";
    if (entry.b === 1) a.add(h("p", { text: "It is billable: valid on a claim as it stands." }));
    else if (entry.b === 0 && entry.k === "c") {
      a.add(h("p", { text: entry.x ? "It is not billable by itself: it needs a 7th character." :
        "It is a header, not billable by itself: report one of the codes under it." }));
    }
    if (entry.st === "deleted") a.add(h("p", { text: "It is deleted: not valid for dates of service after its end date." }));
    if (entry.d) a.add(h("p", { text: entry.d }));
    if (entry.o) a.add(h("p", { text: "Official descriptor: " + entry.o }));
    if (entry.it) a.add(h("p", { text: "Inclusion terms: " + entry.it.join("; ") + "." }));
    if (entry.u) a.add(h("p", { text: "Use it when:" })).add(k.list(entry.u.map(k.note)));
    if (entry.seventh && entry.origin) {
      a.add(h("p", {}, ["Its 7th character ", h("strong", { text: entry.seventh }), " is added to ", k.link(entry.origin), " " + entry.origin.t + "."]));
      a.cite(entry.origin);
    }
    if (entry.s !== "icd-10-cm" || entry.k !== "c") return Promise.resolve(a);
    // The tabular's general notes at the code and the levels up to its category.
    return ctx.store.chain(entry).then(function (levels) {
      var items = [];
      levels.filter(function (e) { return e.k === "c"; }).forEach(function (holder) {
        ((holder.i && holder.i.notes) || []).forEach(function (n) {
          items.push(h("span", {}, [k.note(n), " ", h("span", { "class": "cc-ask__from" }, ["(at ", k.at(holder), ")"])]));
          a.cite(holder);
        });
      });
      if (items.length) a.add(h("p", { text: "Notes:" })).add(k.list(items));
      return a;
    });
  }

  function modifierUsage(ctx, entry) {
    var k = kit(ctx), a = new Answer("modifier-usage", "When to use modifier " + entry.c + " (" + entry.t + ")");
    a.cite(entry);
    if (entry.d) a.add(h("p", { text: entry.d }));
    if (entry.u) a.add(h("p", { text: "Use it when:" })).add(k.list(entry.u.map(k.note)));
    if (entry.n) a.add(h("p", { text: "Do not use it when:" })).add(k.list(entry.n.map(k.note)));
    if (!entry.u && !entry.n) a.add(h("p", { text: "The reference has no usage notes for this modifier; its page gives the official descriptor." }));
    var confused = (entry.rel && entry.rel.confused_with) || [];
    if (confused.length) {
      a.add(h("p", {}, ["Often confused with: "].concat(confused.map(function (c, i) {
        return h("span", {}, [i ? ", " : "", h("a", { href: ctx.links.ref(c, "m"), text: c })]);
      }))));
    }
    return Promise.resolve(a);
  }

  function compareModifiers(ctx, mods) {
    var k = kit(ctx), codesOf = mods.map(function (x) { return x.c; });
    var a = new Answer("modifier-compare", "Modifier " + codesOf.join(" vs modifier "));
    mods.forEach(function (x) { a.cite(x); });
    var related = mods.some(function (x) {
      return mods.some(function (y) { return x !== y && ((x.rel && x.rel.confused_with) || []).indexOf(y.c) >= 0; });
    });
    a.add(h("p", { text: related ? "The reference lists " + (mods.length === 2 ? "these two" : "some of these") + " as often confused with each other." :
      "The reference does not list these as often confused; here is what each is for." }));
    mods.forEach(function (x) {
      var side = h("div", { "class": "cc-ask__side" }, [h("h4", {}, ["Modifier ", k.link(x), " " + x.t])]);
      if (x.d) side.children.push(h("p", { text: x.d }));
      if (x.u) side.children.push(h("p", { text: "Use " + x.c + " when:" }), k.list(x.u.map(k.note)));
      if (x.n) side.children.push(h("p", { text: "Do not use " + x.c + " when:" }), k.list(x.n.map(k.note)));
      a.add(side);
    });
    return Promise.resolve(a);
  }

  // Modifiers found by what they are for ("which modifier for a bilateral procedure" -> 50).
  function modifierFind(ctx, read) {
    var I = ask.intents, qw = I.words(read.text).map(I.stem);
    if (!qw.length) return Promise.resolve(null);
    var mods = ctx.store.manifest.modifiers, scored = [];
    Object.keys(mods).forEach(function (code) {
      var tw = I.words(mods[code][0]).map(I.stem), hits = 0;
      qw.forEach(function (w) { if (tw.some(function (t) { return I.sameWord(t, w); })) hits++; });
      if (hits && hits >= Math.ceil(qw.length / 2)) scored.push({ code: code, hits: hits, s: hits + hits / tw.length });
    });
    if (!scored.length) return Promise.resolve(null);
    scored.sort(function (x, y) { return y.s - x.s; });
    // Every modifier that matches as many words as the best, the closest first.
    var top = scored.filter(function (x) { return x.hits === scored[0].hits; }).slice(0, 3);
    return Promise.all(top.map(function (x) { return ctx.store.getModifier(x.code); })).then(function (found) {
      found = found.filter(Boolean);
      if (!found.length) return null;
      var k = kit(ctx), a = new Answer("modifier-find", "");
      a.verdict = found[0].c;
      a.lead = found.length === 1 ? "Modifier " + found[0].c + ": " + found[0].t + "."
        : "Modifiers " + found.map(function (x) { return x.c; }).join(", ") + " match what you describe.";
      found.forEach(function (x) {
        a.cite(x);
        a.add(h("p", {}, [h("strong", {}, ["Modifier ", k.link(x)]), " " + x.t + (x.d ? ": " + x.d : "")]));
        if (x.n) a.add(h("p", { text: "Do not use " + x.c + " when:" })).add(k.list(x.n.map(k.note)));
      });
      return a;
    });
  }

  // Instructional notes of the given types on `entry` and every level above it.
  function instructions(ctx, entry, types, kind, lead) {
    return ctx.store.chain(entry).then(function (levels) {
      var k = kit(ctx), a = new Answer(kind, lead), any = false;
      a.cite(entry);
      types.forEach(function (type) {
        var items = [];
        levels.forEach(function (holder) {
          ((holder.i && holder.i[type]) || []).forEach(function (n) {
            items.push(h("span", {}, [k.note(n), " ", h("span", { "class": "cc-ask__from" }, ["(at ", k.at(holder), ")"])]));
            a.cite(holder);
          });
        });
        if (items.length) {
          any = true;
          a.add(h("p", {}, [h("strong", { text: LABELS[type] }), " (" + items.length + " note" + (items.length === 1 ? "" : "s") + ")"]));
          a.add(k.list(items));
        }
      });
      if (!any) {
        a.verdict = "none";
        a.add(h("p", { text: "Neither " + entry.c + " nor any code, category, block or chapter above it has a " +
          types.map(function (t) { return LABELS[t]; }).join(", ") + " note in the reference." }));
      }
      return a;
    });
  }

  function children(ctx, entry) {
    var k = kit(ctx), a = new Answer("children", "");
    a.cite(entry);
    return ctx.store.children(entry).then(function (kids) {
      if (!kids.length) {
        a.verdict = "none";
        a.lead = entry.c + " has no codes under it in the reference.";
        if (entry.x && entry.k === "c") a.add(h("p", { text: "It is completed with a 7th character: ask for the 7th character of " + entry.c + "." }));
        return a;
      }
      var ranges = kids.filter(function (x) { return x.k === "r"; }).length;
      var noun = ranges === kids.length ? (ranges === 1 ? "range" : "ranges")
        : (kids.length === 1 ? "code" : "codes") + (ranges ? " and ranges" : "");
      a.lead = kids.length + " " + noun + " directly under " + entry.c + " " + entry.t + ":";
      a.add(k.list(kids.slice(0, MAX_LIST).map(function (x) {
        return h("span", {}, [k.link(x), " " + x.t + (x.b === 1 ? " (billable)" : x.b === 0 ? " (not billable)" : "")]);
      })));
      if (kids.length > MAX_LIST) a.add(h("p", {}, ["and " + (kids.length - MAX_LIST) + " more on the page of ", k.link(entry), "."]));
      return a;
    });
  }

  // Where a code sits: every level above it, from the chapter down, each with its link.
  function where(ctx, entry) {
    return ctx.store.chain(entry).then(function (levels) {
      var k = kit(ctx), a = new Answer("where", "");
      a.lead = entry.c + " " + entry.t + " sits in:";
      a.add(k.list(levels.slice(1).reverse().map(function (e) { a.cite(e); return k.at(e); })));
      a.cite(entry);
      return a;
    });
  }

  function unknown(ctx, question, reason) {
    var a = new Answer("unknown", "I can't answer that from the reference.");
    if (reason) a.add(h("p", { text: reason }));
    a.add(h("p", {}, ["Try ", h("a", { href: ctx.links.search(question), "class": "cc-ask__search", text: "searching the reference" }),
      ", or ", h("a", { href: ctx.links.expert(question, "", ctx.from), "class": "cc-ask__expert-link", text: "ask an expert" }),
      ": an editor answers by email."]));
    return a;
  }

  // An honest refusal that still links every record the question named.
  function refuse(ctx, question, reason, known) {
    var k = kit(ctx), a = unknown(ctx, question, reason);
    a.verdict = "refused";
    if (known.length) {
      a.add(h("p", { text: "What the reference does hold on the " + (known.length === 1 ? "code" : "codes") + " you named:" }));
      a.add(k.list(known.map(function (e) { a.cite(e); return k.named(e); })));
    }
    return a;
  }

  ask.answers = { h: h, textOf: textOf, Answer: Answer, LABELS: LABELS, kit: kit, whatIs: whatIs,
                  modifierUsage: modifierUsage, compareModifiers: compareModifiers,
                  modifierFind: modifierFind, instructions: instructions, children: children, where: where,
                  unknown: unknown, refuse: refuse, MAX_LIST: MAX_LIST };
})(typeof window !== "undefined" ? window : globalThis);
