/*
 * May two ICD-10-CM codes be reported together (OCR.ask.answers.together)? From the tabular
 * list only: Excludes1 and Excludes2 notes at the codes and every level above them; failing
 * those, other reasons the tabular gives (one code above the other, an Includes note naming the
 * other, a "without" code beside a "with" code of its category, codes of one subcategory that
 * differ in specificity, a combination code in the same block). When nothing relates them the
 * answer says so, and says that this is not a yes.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask;
  var codes = OCR.codes;
  var A = ask.answers, h = A.h;
  var EXCLUDES = ["excludes1", "excludes2"];
  var SEQUENCING = ["code_first", "use_additional", "code_also"];
  var GENERIC = ("diseas disord condit unspec specif withou compli chroni syndro fractu injury encoun " +
    "initia subseq sequel neopla malign primar second system struct region involv multip portio " +
    "effect follow person histor status unilat bilate routin healin displa nondis").split(" ");

  // Notes of the given types at any of `levels` that name `other`.
  function naming(levels, other, types) {
    var hits = [];
    levels.forEach(function (holder) {
      types.forEach(function (type) {
        ((holder.i && holder.i[type]) || []).forEach(function (n) {
          if (n[1].some(function (r) { return codes.covers(r[4] || r[2], other.c); })) {
            hits.push({ type: type, note: n, holder: holder, subject: levels[0] });
          }
        });
      });
    });
    return hits;
  }

  function concepts(title) {
    return ask.intents.words(title).filter(function (w) { return w.length >= 6 && GENERIC.indexOf(w.slice(0, 6)) < 0; });
  }

  // Tabular reasons, other than Excludes notes, not to report x and y without checking.
  function otherReasons(k, x, y, cx, cy, instructed) {
    var out = [];
    var above = false;
    [[x, cy], [y, cx]].forEach(function (pair) {
      if (pair[1].slice(1).some(function (e) { return e.c === pair[0].c; })) {
        var lower = pair[1][0];
        out.push(h("span", {}, [k.link(lower), " is a code under ", k.at(pair[0]),
          ": report the most specific code that applies, not both."]));
        above = true;
      }
    });
    if (above) return out;
    [[cx, y], [cy, x]].forEach(function (pair) {
      if (instructed) return;     // a note asks for the other code: both are meant to be coded
      naming(pair[0], pair[1], ["includes"]).forEach(function (hit) {
        out.push(h("span", {}, [h("strong", { text: "Includes" }), " note \u201c", k.note(hit.note), "\u201d at ", k.at(hit.holder),
          ": what ", k.link(pair[1]), " describes may already be part of ", k.link(hit.subject), "."]));
      });
    });
    var sameCategory = codes.bare(x.c).slice(0, 3) === codes.bare(y.c).slice(0, 3);
    var px = x.origin ? x.origin : x, py = y.origin ? y.origin : y;
    if (x.origin && y.origin && x.origin.c === y.origin.c) {
      out.push(h("span", {}, [k.link(x), " and ", k.link(y), " are the same code, ", k.link(x.origin),
        ", with different 7th characters: one encounter takes one of them."]));
      return out;
    }
    if (sameCategory) {
      [[px, py], [py, px]].forEach(function (pair) {
        // "GERD without esophagitis" beside "GERD with esophagitis, without bleeding".
        var negated = /\bwithout ([^,]+)/i.exec(pair[0].t);
        var contradicts = negated && (!/\bwithout\b/i.test(pair[1].t) ||
          pair[1].t.toLowerCase().indexOf("with " + negated[1].toLowerCase()) >= 0);
        if (contradicts) {
          out.push(h("span", {}, [k.link(pair[0]), " is \u201c" + pair[0].t + "\u201d, while ", k.link(pair[1]),
            " is \u201c" + pair[1].t + "\u201d in the same category, ", k.at(category(cx)),
            ": the \u201cwithout\u201d code does not describe the same patient as the other."]));
        }
      });
      var siblings = px.p && px.p === py.p;
      var parent = siblings ? cx.filter(function (e) { return e.c === px.p; })[0] : category(cx);
      var unspecified = [px, py].filter(function (e) { return /\bunspecified\b/i.test(e.t); });
      if (unspecified.length === 1) {
        out.push(h("span", {}, [k.link(px), " and ", k.link(py), " are codes of the same ", k.at(parent),
          " that differ only in specificity, and ", k.link(unspecified[0]), " is the unspecified one: report the specific code, not both."]));
      } else if (siblings) {
        out.push(h("span", {}, [k.link(px), " and ", k.link(py), " are codes of the same ", k.at(parent),
          ": they differ in one detail; report both only when the record documents two distinct conditions."]));
      }
      return out;
    }
    var block = cx.filter(function (e) { return e.k === "r" && !e.chapter && cy.some(function (f) { return f.c === e.c; }); })[0];
    if (block) {
      var wx = concepts(px.t), wy = concepts(py.t);
      var shared = wx.filter(function (w) { return wy.some(function (v) { return ask.intents.sameWord(v, w); }); });
      if (shared.length) {
        var combo = wy.length >= wx.length ? py : px, single = combo === py ? px : py;
        out.push(h("span", {}, [k.link(combo), " \u201c" + combo.t + "\u201d also names the condition of ", k.link(single),
          " \u201c" + single.t + "\u201d (\u201c" + shared[0] + "\u201d), in the same ", k.at(block),
          ": when one code describes both conditions, that combination code is reported alone (Official Guidelines I.B.9)."]));
      }
    }
    return out;
  }

  function category(levels) {
    return levels.filter(function (e) { return e.k === "c" && codes.bare(e.c).length === 3; })[0] || levels[0];
  }

  function hitLine(k, hit) {
    var subject = hit.subject;
    var where = hit.holder === subject ? ["at ", k.link(subject), " itself"]
      : ["at ", k.at(hit.holder), ", above " + subject.c + ", so it applies to " + subject.c];
    return h("span", {}, [h("strong", { text: A.LABELS[hit.type] }), " note \u201c", k.note(hit.note), "\u201d "].concat(where));
  }

  function checked(k, levels) {
    return h("span", {}, levels.map(function (e, i) { return h("span", {}, [i ? ", " : "", k.at(e)]); }));
  }

  function together(ctx, x, y, read) {
    var store = ctx.store, k = A.kit(ctx);
    return Promise.all([store.chain(x), store.chain(y)]).then(function (r) {
      var cx = r[0], cy = r[1];
      var hits = naming(cx, y, EXCLUDES).concat(naming(cy, x, EXCLUDES));
      var order = naming(cx, y, SEQUENCING).concat(naming(cy, x, SEQUENCING));
      var one = hits.filter(function (hit) { return hit.type === "excludes1"; });
      var two = hits.filter(function (hit) { return hit.type === "excludes2"; });
      var a = new A.Answer("together", "");
      a.cite(x).cite(y);
      hits.forEach(function (hit) { a.cite(hit.holder); });
      if (one.length) {
        a.verdict = "no";
        a.lead = "No: " + x.c + " and " + y.c + " are not coded together. An Excludes1 note separates them.";
        a.add(k.list(one.map(function (hit) { return hitLine(k, hit); })));
        a.add(h("p", { text: "Excludes1 means \u201cnot coded here\u201d: the two conditions cannot occur together. The one exception in the guidelines is when the two conditions are unrelated to each other." }));
      } else if (two.length) {
        a.verdict = "yes";
        a.lead = "Yes, when the patient has both: an Excludes2 note links " + x.c + " and " + y.c + ", so both may be reported together.";
        a.add(k.list(two.map(function (hit) { return hitLine(k, hit); })));
        a.add(h("p", { text: "Excludes2 means \u201cnot included here\u201d: the other condition is not part of this code, and both codes may be reported when both conditions are present." }));
      } else {
        var reasons = otherReasons(k, x, y, cx, cy, order.length > 0);
        if (order.length) {
          a.verdict = "instructed";
          a.lead = "No Excludes note relates " + x.c + " and " + y.c + ", and the tabular list asks for both: a " +
            A.LABELS[order[0].type] + " note at " + order[0].holder.c + " names " + (order[0].subject === cx[0] ? y.c : x.c) + ".";
          if (reasons.length) a.add(k.list(reasons));
        } else if (reasons.length) {
          a.verdict = "check";
          a.lead = "No Excludes1 or Excludes2 note relates " + x.c + " and " + y.c + ", but the tabular list gives a reason not to report both without checking:";
          a.add(k.list(reasons));
        } else {
          a.verdict = "none";
          a.lead = "No Excludes1 or Excludes2 note relates " + x.c + " and " + y.c + ".";
        }
        if (!order.length) {
          a.add(h("p", { text: "That does not mean they may be coded together: the tabular list has no note on this pair either way. Report both only when the record documents both conditions and the Official Guidelines allow it." }));
        }
        a.add(h("p", {}, ["Checked: the Excludes notes at ", checked(k, cx), "; and at ", checked(k, cy), "."]));
        cx.concat(cy).forEach(function (e) { a.cite(e); });
      }
      var symptom = [x, y].filter(function (e) { return /^R/.test(e.c); })[0];
      if (symptom && a.verdict !== "no") {
        a.add(h("p", {}, [k.link(symptom), " is a sign or symptom code (chapter 18): signs and symptoms that are a routine part of a confirmed disease are not coded separately (Official Guidelines I.B.5)."]));
      }
      if (order.length) {
        a.add(h("p", { text: "Sequencing notes between them:" }));
        a.add(k.list(order.map(function (hit) { a.cite(hit.holder); return hitLine(k, hit); })));
      }
      if (read.asks.compare && !read.asks.together) {
        // "Difference between E11.9 and E11.65": what each is comes first.
        a.add(h("p", { "class": "cc-ask__verdict", text: a.lead }));
        a.lead = x.c + " is \u201c" + x.t + "\u201d; " + y.c + " is \u201c" + y.t + "\u201d.";
      }
      [x, y].forEach(function (e) { a.add(h("p", {}, [k.named(e)])); });
      return a;
    });
  }

  A.together = together;
})(typeof window !== "undefined" ? window : globalThis);
