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
  var FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
  var MONTH_RE = new RegExp("\\b" + MONTH + "\\s+(?:(\\d{1,2})(?:st|nd|rd|th)?,?\\s+)?(\\d{4})\\b");
  var DAY_MONTH_RE = new RegExp("\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + ",?\\s+(\\d{4})\\b");
  var YEAR_RE = /\b(?:(?:calendar |the )?year |cy ?)?((?:19|20)\d\d)\b/;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(y, m, d) { return y + "-" + pad(m) + "-" + pad(d); }
  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  function day(y, m, d, text) {
    if (m < 1 || m > 12 || d < 1 || d > lastDay(y, m)) return { label: text, invalid: true, text: text };
    var out = iso(y, m, d);
    return { label: out, from: out, to: out, text: text };
  }
  function month(y, m, text) {
    if (m < 1 || m > 12) return { label: text, invalid: true, text: text };
    return { label: FULL_MONTHS[m - 1] + " " + y, from: iso(y, m, 1), to: iso(y, m, lastDay(y, m)), text: text };
  }

  // The dates a question asks about: {from, to, label, fy, year, invalid} or null. "FY2027",
  // "fiscal year 2025", "2025-03-01", "3/1/2025", "12/2026", "December 2026", "Dec 5, 2026",
  // "5 December 2026", and a calendar year ("in 2027", "during 2026").
  function when(lower, manifest) {
    var H = manifest && manifest.history, m;
    if ((m = /\b(?:fy|fiscal year)\s*'?(\d{4}|\d{2})\b/.exec(lower))) {
      var fy = "FY" + (m[1].length === 2 ? "20" + m[1] : m[1]), r = H && H.releases[fy];
      return { fy: fy, label: fy, from: r ? r[0] : null, to: r ? r[1] : null, text: m[0] };
    }
    if ((m = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(lower))) return day(+m[1], +m[2], +m[3], m[0]);
    if ((m = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(lower))) return day(+m[3], +m[1], +m[2], m[0]);
    if ((m = /\b(\d{1,2})\/(\d{4})\b/.exec(lower))) return month(+m[2], +m[1], m[0]);
    if ((m = DAY_MONTH_RE.exec(lower))) return day(+m[3], MONTHS.indexOf(m[2].slice(0, 3)) + 1, +m[1], m[0]);
    if ((m = MONTH_RE.exec(lower))) {
      var mo = MONTHS.indexOf(m[1].slice(0, 3)) + 1;
      return m[2] ? day(+m[3], mo, +m[2], m[0]) : month(+m[3], mo, m[0]);
    }
    if ((m = YEAR_RE.exec(lower))) {
      return { label: "calendar year " + m[1], year: true, from: m[1] + "-01-01", to: m[1] + "-12-31", text: m[0] };
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

  function verdictOn(list, from, to) {
    if (list.some(function (p) { return p[0] <= from && to <= p[1]; })) return "yes";
    return list.some(function (p) { return p[0] <= to && from <= p[1]; }) ? "partly" : "no";
  }
  var SAYS = { yes: "valid", partly: "valid for part of it", no: "not valid" };

  // Whether the code is valid on every day of `span`, from the validity periods (`list`, else
  // the code's own). A span across two releases (a calendar year) is answered per release too.
  function valid(ctx, entry, read, span, list) {
    var H = ctx.store.manifest.history, k = A.kit(ctx), pastCode = !!entry.past;
    var a = pastCode ? new A.Answer("validity", "") : start(ctx, "validity", entry);
    list = list || periods(H, entry);
    span = span || { label: "FY" + (+H.shown.slice(2) + 1), fy: "FY" + (+H.shown.slice(2) + 1) };
    if (span.fy && !span.from) {
      var r = H.releases[span.fy];
      if (r) { span.from = r[0]; span.to = r[1]; }
    }
    var names = Object.keys(H.releases), shownLast = H.releases[H.shown][1], first = H.releases[names[0]][0];
    var covers = " its release history covers dates of service from " + first + " (" + names[0] + ") to " + H.through + ".";
    if (span.invalid) {
      a.verdict = "unknown";
      a.lead = "\u201c" + span.text + "\u201d is not a date: write it like 2026-12-15, 12/15/2026, December 2026 or FY2027.";
    } else if (!span.from) {
      a.verdict = "unknown";
      a.lead = "The reference has no data for " + span.label + ": its release history covers " + names[0] + " to " + names[names.length - 1] + ".";
    } else if (span.from > H.through || span.to < first) {
      a.verdict = "unknown";
      a.lead = "The reference cannot say for " + (span.fy ? span.fy : span.from === span.to ? span.from : span.label) + ":" + covers;
    } else {
      var from = span.from < first ? first : span.from, to = span.to > H.through ? H.through : span.to;
      a.verdict = verdictOn(list, from, to);
      var forWhat = span.fy ? span.fy + " dates of service (" + span.from + " to " + span.to + ")"
        : span.from === span.to ? "a date of service on " + span.from : "dates of service in " + span.label;
      var cut = to < span.to || from > span.from;
      a.lead = (a.verdict === "yes" ? "Yes: " + entry.c + " is valid for " : a.verdict === "partly" ? "Partly: " + entry.c + " is valid for only some " : "No: " + entry.c + " is not valid for ") +
        forWhat + (cut ? " as far as the data goes (" + from + " to " + H.through + ")" : "") + ".";
      // One line per release the span touches: "2026-10-01 to 2026-12-31 (FY2027): valid".
      var parts = names.filter(function (fy) { return H.releases[fy][0] <= span.to && span.from <= H.releases[fy][1]; });
      if (parts.length > 1 || (span.year && parts.length)) {
        a.add(k.list(parts.map(function (fy) {
          var p0 = H.releases[fy][0] < span.from ? span.from : H.releases[fy][0], p1 = H.releases[fy][1] > span.to ? span.to : H.releases[fy][1];
          var says = p0 > H.through ? "the data does not reach these dates" : SAYS[verdictOn(list, p0, p1 > H.through ? H.through : p1)] +
            (p1 > H.through ? " (the data ends " + H.through + ")" : "");
          return h("span", {}, [h("strong", { text: p0 + " to " + p1 + " (" + fy + ")" }), ": " + says]);
        }).concat(span.to > H.releases[names[names.length - 1]][1] ? [h("span", {}, [h("strong", {
          text: dayAfter(H.releases[names[names.length - 1]][1]) + " to " + span.to }), ": no release in the data covers these dates"])] : [])));
      }
      if (span.from < first) a.add(h("p", { text: "Before " + first + " the reference cannot say:" + covers }));
    }
    if (!pastCode) a.add(h("p", {}, [k.link(entry), " " + entry.t]));
    a.add(h("p", { text: list.length ? "Valid for dates of service " + list.map(function (p) {
      return p[0] + " to " + (p[1] === H.through ? "at least " + p[1] : p[1]);
    }).join(", and ") + "." : "The release history holds no validity dates for it." }));
    if (span.from && !span.invalid && span.to > shownLast && span.from <= H.through) {
      var fy = releaseOf(H, span.from > shownLast ? span.from : span.to) || "a later release";
      a.add(h("p", { "class": "cc-ask__warn", text: "That date falls in " + fy + ", after the " + H.shown + " release this reference shows (valid to " + shownLast +
        "): the titles and notes on its pages are " + H.shown + "'s; the validity comes from the CMS Medicare Code Editor data." }));
    }
    source(a, "validity dates from the CMS Medicare Code Editor (" + H.releases[names[names.length - 1]][2] + ")");
    return a;
  }

  function dayAfter(iso_) {
    var d = new Date(iso_ + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  // A code deleted since FY2024 or added after the shown release (store.getPast): its validity
  // on the date asked, else what happened to it; successors or the code above it, linked.
  function past(ctx, entry, read, header) {
    var H = ctx.store.manifest.history, rec = entry.past, k = A.kit(ctx), list = rec.v || [];
    var asked = read.when, a;
    function item(c, t, page) {
      var e = { c: c, t: t, s: "icd-10-cm", k: "c" };
      return h("span", {}, [page ? k.link(e) : c, " " + (t || "(title not yet imported)")]);
    }
    var last = list.length ? list[list.length - 1][1] : null;
    var what = rec.d
      ? entry.c + " was deleted in " + rec.d + ": its last valid date of service was " + last + "; it is not valid from " + dayAfter(last) + "."
      : entry.c + " was added in " + rec.a + ": valid for dates of service from " + (list.length ? list[0][0] : H.releases[rec.a][0]) + ".";
    var q = read.asks, fyAsked = asked && asked.fy, source_ = null;
    if ((asked && !(fyAsked && (q.added || q.deleted))) || (!asked && q.stillValid)) {
      a = valid(ctx, entry, read, asked, list);
      source_ = a.parts.pop();   // the source line goes last again below
      a.add(h("p", { text: what }));
    } else {
      a = new A.Answer("history", "");
      var right = fyAsked ? (q.deleted ? rec.d === fyAsked : rec.a === fyAsked) : q.deleted ? !!rec.d : q.added && !!rec.a;
      // "Yes: ..." answers a yes/no question; "what replaced E78.01" gets the facts alone.
      var yesNo = /^(?:was|is|has|had|did|were|are|does)\b/.test(read.lower.trim());
      if (fyAsked || q.deleted || (q.added && rec.a)) { a.verdict = right ? "yes" : "no"; a.lead = (yesNo ? (right ? "Yes: " : "No: ") : "") + what; }
      else {
        a.verdict = rec.d ? "deleted" : rec.a;
        a.lead = (q.ccmcc || q.principalEdit ? entry.c + " is not a code of " + H.shown + ", the release whose MS-DRG and Medicare Code Editor facts the reference holds. " : "") + what;
      }
      a.add(h("p", { text: "Valid for dates of service " + list.map(function (p) { return p[0] + " to " + (p[1] === H.through ? "at least " + p[1] : p[1]); }).join(", and ") + "." }));
    }
    if (rec.d) {
      a.cite(header || entry);
      a.add(h("p", {}, [(header ? "Its title before: " : "Its title: ") + rec.t + ". ",
        header ? "In " + H.shown + " it is a header, not billable by itself." : "Its page stays at its old address."]));
      if (rec.s.length) {
        var names = Object.keys(H.releases), later = names.indexOf(rec.d) > names.indexOf(H.shown);
        a.add(h("p", { text: later ? rec.d + " offers instead:" : "In " + H.shown + ", the codes that take its place:" }));
        a.add(k.list(rec.s.map(function (s) { return item(s[0], s[1], s[2]); })));
      }
    } else {
      a.add(h("p", { text: "Title not yet imported: the reference shows " + H.shown + ", and no " + rec.a + " tabular list has been imported yet." }));
      if (rec.u.length) {
        a.cite({ c: rec.u[0], t: rec.u[1], s: "icd-10-cm", k: "c" });
        a.add(h("p", {}, ["In " + H.shown + " the nearest code above it is ", item(rec.u[0], rec.u[1], 1), "."]));
      }
    }
    if (entry.changes && entry.changes[rec.d || rec.a]) {
      a.add(h("p", {}, ["See ", h("a", { href: ctx.links.href(entry.changes[rec.d || rec.a]), text: "the changes in " + (rec.d || rec.a) }), "."]));
    }
    if (source_) a.add(source_);
    else source(a, "release code lists and validity dates (" + H.releases[rec.d || rec.a][2] + ")");
    return a;
  }

  // Which release question one ICD-10-CM code's question asks, or null.
  function kindOf(read) {
    var q = read.asks;
    if (q.ccmcc) return "cc";
    if (q.principalEdit && !/\bcode first\b|\buse additional\b|\bsequenc|\bbefore\b|\bafter\b/.test(read.lower)) return "principal";
    if (q.added) return "added";
    if (read.when || q.stillValid || q.deleted) return "valid";
    return null;
  }

  function answer(ctx, entry, read) {
    var kind = kindOf(read), H = ctx.store.manifest.history;
    if (!kind) return null;
    var name = { cc: "medicare-cc", principal: "medicare-principal", added: "history", valid: "validity" }[kind];
    if (!H) return A.unknown(ctx, read.text, "This build of the reference has no release history or Medicare data.");
    if (entry.b !== 1) {
      // A header now, a billable code before (E78.01, deleted in FY2026): its history.
      return ctx.store.getPast(entry.c).then(function (p) {
        return p && p.past.d && kind !== "cc" && kind !== "principal" ? past(ctx, p, read, entry) : notBillable(ctx, name, entry);
      });
    }
    if (kind === "cc") return level(ctx, entry, read);
    if (kind === "principal") return principal(ctx, entry);
    if (kind === "added") return added(ctx, entry, read);
    if (read.asks.deleted && !read.when) {
      // "was I42.0 deleted?": yes when its validity ends inside the data.
      return ctx.store.getPast(entry.c).then(function (p) {
        if (p && p.past.d) return past(ctx, { c: entry.c, t: entry.t, s: entry.s, k: "c", b: 1, past: p.past, changes: p.changes }, read, null);
        var a = valid(ctx, entry, read, null);
        a.verdict = "no";
        a.lead = "No: " + entry.c + " has not been deleted: it is valid for dates of service up to at least " + H.through + ", as far as the data goes.";
        return a;
      });
    }
    return valid(ctx, entry, read, read.when);
  }

  ask.release = { when: when, kindOf: kindOf, answer: answer, past: past };
})(typeof window !== "undefined" ? window : globalThis);
