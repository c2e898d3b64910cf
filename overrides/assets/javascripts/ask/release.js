/*
 * Release and Medicare questions about one ICD-10-CM code (OCR.ask.release), answered from the
 * release history generator/ask.py writes from data/icd-10-cm-history/: the manifest's
 * `history` (releases, the common validity period, the MS-DRG release, the MCE edits in our own
 * words) and each billable code's `h` (only what differs from the defaults: first release "f",
 * title revisions "r", validity periods "v", CC/MCC "l", CC exclusion collection "cx", MCE
 * edits "e"). Reading the question's date or release is here too (`when`).
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask;
  var A = ask.answers, h = A.h;
  var NOT_PRINCIPAL = ["manifestation", "unacceptable", "ecodepdx"];
  var MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  var MONTH_RE = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b/;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(y, m, d) { return y + "-" + pad(m) + "-" + pad(d); }
  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

  // The dates a question asks about: {from, to, label, fy} or null. "FY2027", "fiscal year
  // 2025", "2025-03-01", "3/1/2025", "December 2026", "December 5, 2026".
  function when(lower, manifest) {
    var H = manifest && manifest.history, m;
    if ((m = /\b(?:fy|fiscal year)\s*'?(\d{4}|\d{2})\b/.exec(lower))) {
      var fy = "FY" + (m[1].length === 2 ? "20" + m[1] : m[1]), r = H && H.releases[fy];
      return { fy: fy, label: fy, from: r ? r[0] : null, to: r ? r[1] : null, text: m[0] };
    }
    if ((m = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(lower))) {
      return { label: m[0], from: m[0], to: m[0], text: m[0] };
    }
    if ((m = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(lower))) {
      var d = iso(+m[3], +m[1], +m[2]);
      return { label: d, from: d, to: d, text: m[0] };
    }
    if ((m = MONTH_RE.exec(lower))) {
      var month = MONTHS.indexOf(m[1].slice(0, 3)) + 1, year = +m[3];
      if (m[2]) { var day = iso(year, month, +m[2]); return { label: day, from: day, to: day, text: m[0] }; }
      var name = m[0].charAt(0).toUpperCase() + m[0].slice(1);
      return { label: name.replace(/\s+/g, " "), from: iso(year, month, 1), to: iso(year, month, lastDay(year, month)), text: m[0] };
    }
    return null;
  }

  function facts(entry) { return entry.h || {}; }
  function periods(H, entry) { return facts(entry).v || H.default; }
  function firstRelease(entry) { return facts(entry).f || "before FY2024"; }
  function releaseOf(H, day) {
    return Object.keys(H.releases).filter(function (fy) { return H.releases[fy][0] <= day && day <= H.releases[fy][1]; })[0] || null;
  }

  // An answer that cites the code and the data's source.
  function start(ctx, kind, entry) {
    var a = new A.Answer(kind, "");
    a.cite(entry);
    return a;
  }
  function source(a, text) { a.add(h("p", { "class": "cc-ask__from", text: "Source: " + text + "." })); }

  // A header, or a code the history does not cover.
  function notBillable(ctx, kind, entry) {
    var a = start(ctx, kind, entry);
    a.verdict = "header";
    a.lead = entry.c + " is not billable by itself" + (entry.x ? " (it needs a 7th character)" : "") +
      ": CC and MCC levels, Medicare Code Editor edits and validity dates belong to the complete codes under it.";
    a.add(h("p", {}, ["See ", A.kit(ctx).link(entry), " " + entry.t + " for the codes under it."]));
    return a;
  }

  function level(ctx, entry, read) {
    var H = ctx.store.manifest.history, f = facts(entry), a = start(ctx, "medicare-cc", entry);
    a.verdict = f.l || "neither";
    var ms = H.medicare[0];
    if (f.l === "MCC") a.lead = "Yes: " + entry.c + " is an MCC (major complication or comorbidity) in " + ms + ": it is on Table 6I, the MCC list.";
    else if (f.l === "CC") a.lead = (/\bmcc\b/.test(read.lower) && !/\bcc\b/.test(read.lower) ? "No, it is a CC: " : "Yes: ") +
      entry.c + " is a CC (complication or comorbidity) in " + ms + ": it is on Table 6J, the CC list.";
    else a.lead = "No: " + entry.c + " is neither a CC nor an MCC in " + ms + ": it is on neither Table 6I (MCCs) nor Table 6J (CCs).";
    if (f.l === "MCC" && /\bcc\b/.test(read.lower) && !/\bmcc\b/.test(read.lower)) a.lead = "It is more than a CC: " + a.lead.slice(5);
    a.add(h("p", {}, [A.kit(ctx).link(entry), " " + entry.t]));
    if (f.cx) {
      a.add(h("p", { text: "CC exclusion (Table 6K): it does not count as a" + (f.l === "MCC" ? "n MCC" : " CC") + " when the principal diagnosis is one of the " +
        f.cx[1] + " codes of its exclusion list (principal diagnosis collection " + f.cx[0] + "); the code's page lists them." }));
    } else if (f.l) {
      a.add(h("p", { text: "Table 6K gives it no CC exclusion list." }));
    }
    a.add(h("p", { text: "These are the " + ms + " lists; a later MS-DRG version may differ." }));
    source(a, H.medicare[1]);
    return a;
  }

  function principal(ctx, entry) {
    var H = ctx.store.manifest.history, f = facts(entry), a = start(ctx, "medicare-principal", entry), k = A.kit(ctx);
    var edits = f.e || [], blocking = edits.filter(function (e) { return NOT_PRINCIPAL.indexOf(e) >= 0; });
    var other = edits.filter(function (e) { return NOT_PRINCIPAL.indexOf(e) < 0 && H.mce[e]; });
    function item(e) { return h("span", {}, [h("strong", { text: H.mce[e][0] }), ": " + H.mce[e][1]]); }
    a.verdict = blocking.length ? "no" : "yes";
    a.lead = blocking.length
      ? "No: the " + H.shown + " Medicare Code Editor flags " + entry.c + " when it is the principal diagnosis of an inpatient claim."
      : "Yes: the " + H.shown + " Medicare Code Editor raises no principal-diagnosis edit for " + entry.c + ".";
    a.add(h("p", {}, [k.link(entry), " " + entry.t]));
    if (blocking.length) a.add(k.list(blocking.filter(function (e) { return H.mce[e]; }).map(item)));
    if (other.length) a.add(h("p", { text: "Other Medicare Code Editor edits it raises:" })).add(k.list(other.map(item)));
    a.add(h("p", { text: "The tabular list's own sequencing notes (code first, use additional code) still apply: ask what to code with " + entry.c + "." }));
    source(a, H.medicare[1]);
    return a;
  }

  function added(ctx, entry, read) {
    var H = ctx.store.manifest.history, f = facts(entry), a = start(ctx, "history", entry);
    var first = firstRelease(entry), asked = when(read.lower, ctx.store.manifest), span = periods(H, entry);
    var since = span.length ? span[0][0] : null;
    var addedText = first === "before FY2024" ? entry.c + " dates from before FY2024" + (since ? " (valid since " + since + ")" : "")
      : entry.c + " was added in " + first + (since ? " (valid from " + since + ")" : "");
    if (asked && asked.fy) {
      var isNew = first === asked.fy;
      a.verdict = isNew ? "yes" : "no";
      a.lead = (isNew ? "Yes: " : "No: ") + addedText + (isNew ? "." : ", not in " + asked.fy + ".");
    } else {
      a.verdict = first;
      a.lead = addedText + (first === H.shown ? ": it is new in the release this reference shows." : ".");
    }
    a.add(h("p", {}, [A.kit(ctx).link(entry), " " + entry.t]));
    if (f.r) a.add(h("p", { text: "Its title was revised in " + f.r.join(" and ") + "; its page shows the old and new wording." }));
    else a.add(h("p", { text: "Its title was not revised between FY2024 and " + H.shown + "." }));
    var keys = Object.keys(H.releases), known = first === "before FY2024" ? keys[0] : first;
    source(a, "release code lists FY2024 to " + H.shown + " (" + (H.releases[known] || H.releases[H.shown])[2] + ")");
    return a;
  }

  // Whether the code is valid on every day of `span`, from the validity periods.
  function valid(ctx, entry, read, span) {
    var H = ctx.store.manifest.history, a = start(ctx, "validity", entry), list = periods(H, entry), k = A.kit(ctx);
    span = span || { label: "FY" + (+H.shown.slice(2) + 1), fy: "FY" + (+H.shown.slice(2) + 1) };
    if (span.fy && !span.from) {
      var r = H.releases[span.fy];
      if (r) { span.from = r[0]; span.to = r[1]; }
    }
    var shownLast = H.releases[H.shown][1];
    if (!span.from) {
      a.verdict = "unknown";
      a.lead = "The reference has no data for " + span.label + ": its release history covers FY2024 to " + Object.keys(H.releases).slice(-1)[0] + ".";
    } else if (span.from > H.through) {
      a.verdict = "unknown";
      a.lead = "The reference cannot say: its validity data covers dates of service up to " + H.through + ".";
    } else {
      var to = span.to > H.through ? H.through : span.to;
      var whole = list.some(function (p) { return p[0] <= span.from && to <= p[1]; });
      var some = list.some(function (p) { return p[0] <= to && span.from <= p[1]; });
      a.verdict = whole ? "yes" : some ? "partly" : "no";
      var forWhat = span.fy ? span.fy + " dates of service (" + span.from + " to " + span.to + ")"
        : span.from === span.to ? "a date of service on " + span.from : "dates of service in " + span.label;
      a.lead = (whole ? "Yes: " + entry.c + " is valid for " : some ? "Partly: " + entry.c + " is valid for only some " : "No: " + entry.c + " is not valid for ") +
        forWhat + (to < span.to && whole ? " as far as the data goes (to " + H.through + ")" : "") + ".";
    }
    a.add(h("p", {}, [k.link(entry), " " + entry.t]));
    a.add(h("p", { text: list.length ? "Valid for dates of service " + list.map(function (p) {
      return p[0] + " to " + (p[1] === H.through ? "at least " + p[1] : p[1]);
    }).join(", and ") + "." : "The release history holds no validity dates for it." }));
    if (span.from && span.from > shownLast) {
      var fy = releaseOf(H, span.from) || "a later release";
      a.add(h("p", { "class": "cc-ask__warn", text: "That date falls in " + fy + ", after the " + H.shown + " release this reference shows (valid to " + shownLast +
        "): the titles and notes on its pages are " + H.shown + "'s; the validity comes from the CMS Medicare Code Editor data." }));
    }
    source(a, "validity dates from the CMS Medicare Code Editor (" + H.releases[Object.keys(H.releases).slice(-1)[0]][2] + ")");
    return a;
  }

  // Which release question one ICD-10-CM code's question asks, or null.
  function kindOf(read) {
    var q = read.asks;
    if (q.ccmcc) return "cc";
    if (q.principalEdit && !/\bcode first\b|\buse additional\b|\bsequenc|\bbefore\b|\bafter\b/.test(read.lower)) return "principal";
    if (q.added) return "added";
    if (read.when || q.stillValid) return "valid";
    return null;
  }

  function answer(ctx, entry, read) {
    var kind = kindOf(read), H = ctx.store.manifest.history;
    if (!kind) return null;
    var name = { cc: "medicare-cc", principal: "medicare-principal", added: "history", valid: "validity" }[kind];
    if (!H) return A.unknown(ctx, read.text, "This build of the reference has no release history or Medicare data.");
    if (entry.b !== 1) return notBillable(ctx, name, entry);
    if (kind === "cc") return level(ctx, entry, read);
    if (kind === "principal") return principal(ctx, entry);
    if (kind === "added") return added(ctx, entry, read);
    return valid(ctx, entry, read, read.when);
  }

  ask.release = { when: when, kindOf: kindOf, answer: answer };
})(typeof window !== "undefined" ? window : globalThis);
