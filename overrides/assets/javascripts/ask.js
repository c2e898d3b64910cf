/*
 * The ask box (partials/ask.html): answers questions about codes, modifiers, Excludes notes,
 * 7th characters, code ranges and topics from the reference's own records, in the browser,
 * with no server and no language model. The records come from ask-data/ (generator/ask.py) in
 * small scripts loaded on demand, so it works over HTTP and from file://. Every answer cites and
 * links the records it used; a question it cannot answer gets an honest "I can't answer that
 * from the reference" with a search link and the ask-an-expert form.
 *
 * Everything from a reader or a record goes into the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SITE = new URL("../../", script.src);          // this file is assets/javascripts/ask.js
  var DATA = new URL("ask-data/", SITE);
  var OFFLINE = SITE.protocol === "file:";
  var MAX_QUESTION = 300;
  var MAX_LIST = 60;                                  // children listed in one answer
  var section = document.getElementById("cc-ask");
  var DIRECTORY_URLS = !section || section.getAttribute("data-directory-urls") !== "false";

  // --- loading data files ----------------------------------------------------------------

  var loaded = Object.create(null);
  var waiting = Object.create(null);
  window.__askShard = function (name, data) { loaded[name] = data; };

  function load(name) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    if (!waiting[name]) {
      waiting[name] = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = new URL(name + ".js", DATA).href;
        el.async = true;
        el.onload = function () {
          if (name in loaded) resolve(loaded[name]);
          else reject(new Error("ask data file " + name + " is damaged"));
        };
        el.onerror = function () { reject(new Error("ask data file " + name + " did not load")); };
        document.head.appendChild(el);
      });
      waiting[name].catch(function () { delete waiting[name]; });
    }
    return waiting[name];
  }

  var manifest = null;
  var codeKeys = null;
  function ready() {
    return load("manifest").then(function (m) {
      if (!manifest) {
        manifest = m;
        codeKeys = Object.create(null);
        m.codes.forEach(function (k) { codeKeys[k] = true; });
      }
      return m;
    });
  }

  function bare(code) { return String(code).replace(/\./g, "").toUpperCase(); }

  // An ICD-10-CM code as written in the code book: 'e1165' -> 'E11.65'.
  function dotted(code) {
    var b = bare(code);
    return /^[A-Z]\d[0-9A-Z]/.test(b) && b.length > 3 ? b.slice(0, 3) + "." + b.slice(3) : b;
  }

  // A code record, or null. Codes with a 7th character are derived from their base code, as
  // generator/tabular.py derives their pages.
  function getCode(code) {
    var key = bare(code).slice(0, 3);
    if (!codeKeys[key]) return Promise.resolve(null);
    return load("c/" + key).then(function (entries) {
      var want = bare(code);
      var found = null, exact = null;
      // An HCPCS code and an ICD-10-CM code can share their characters (A0428, A04.28): the
      // code as written wins, then the same characters without the dot ('E1165' for E11.65).
      entries.forEach(function (e) {
        if (e.c === code) exact = e;
        else if (bare(e.c) === want && !found) found = e;
      });
      found = exact || found;
      if (found || want.length !== 7) return found;
      var char = want.charAt(6);
      var base = want.slice(0, 6).replace(/X+$/, "");
      var origin = null;
      entries.forEach(function (e) { if (bare(e.c) === base && e.x && e.x.indexOf(char) >= 0) origin = e; });
      if (!origin) return null;
      return definer(origin).then(function (d) {
        var meaning = d && d.sd[char];
        return { c: seventhCode(origin.c, char), t: origin.t + (meaning ? ", " + meaning : ""),
                 s: origin.s, k: "c", p: origin.c, b: 1, seventh: char, origin: origin };
      });
    });
  }

  function getRange(code) {
    return manifest.ranges[code] ? load("r/" + code) : Promise.resolve(null);
  }

  function getModifier(code) {
    return manifest.modifiers[code] ? load("m/" + code) : Promise.resolve(null);
  }

  function getParent(entry) {
    if (!entry || !entry.p) return Promise.resolve(null);
    return manifest.ranges[entry.p] ? getRange(entry.p) : getCode(entry.p);
  }

  // The record and everything above it: subcategory, category, block, chapter.
  function chain(entry) {
    var out = [entry];
    function up(e) {
      return getParent(e).then(function (p) {
        if (!p || out.length > 12) return out;
        out.push(p);
        return up(p);
      });
    }
    return up(entry);
  }

  // The record whose 7th-character definitions apply: the code itself or its nearest ancestor.
  function definer(entry) {
    return chain(entry).then(function (list) {
      for (var i = 0; i < list.length; i++) if (list[i].sd) return list[i];
      return null;
    });
  }

  // 'S72.001' + 'A' -> 'S72.001A'; 'T81.4' + 'A' -> 'T81.4XXA' (generator.tabular.seventh_code).
  function seventhCode(code, char) {
    var b = bare(code);
    while (b.length < 6) b += "X";
    b += char;
    return b.slice(0, 3) + "." + b.slice(3);
  }

  // --- links -------------------------------------------------------------------------------

  function href(path) {
    if (!DIRECTORY_URLS) path = path.replace(/\/$/, ".html").replace(/^\.html$/, "index.html");
    else if (OFFLINE) path += (path === "" || /\/$/.test(path)) ? "index.html" : "";
    return new URL(path, SITE).href;
  }

  function recordUrl(entry) {
    var folder = entry.k === "m" ? manifest.folders.modifier : manifest.folders[entry.s];
    return href(folder + "/" + entry.c + "/");
  }

  function refUrl(code, kind) {
    if (kind === "m") return href(manifest.folders.modifier + "/" + code + "/");
    var system = kind === "r" ? (manifest.ranges[code] || [])[1] : systemOf(code);
    return system ? href(manifest.folders[system] + "/" + code + "/") : null;
  }

  function systemOf(code) {
    if (/^[A-Z]\d[0-9A-Z]/.test(code) || /^[A-Z]\d[0-9A-Z]\./.test(code)) {
      if (/^[A-V]\d{4}$/.test(code) && !/\./.test(code)) return "hcpcs";
      return "icd-10-cm";
    }
    if (/^\d{4}[0-9FT]$/.test(code)) return "cpt";
    return null;
  }

  function searchUrl(text) { return href("search/") + "?q=" + encodeURIComponent(text); }

  function expertUrl(question, code) {
    var params = new URLSearchParams();
    if (code) params.set("code", code);
    if (question) params.set("q", question);
    params.set("from", window.location.pathname);
    return href("ask-an-expert/") + "?" + params.toString();
  }

  // --- DOM ---------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c == null || c === false) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function link(entry) {
    return el("a", { href: recordUrl(entry), "class": "cc-ask__code", text: entry.c });
  }

  function named(entry) {
    var label = entry.k === "m" ? "modifier " : "";
    return el("span", {}, [label, link(entry), " " + entry.t]);
  }

  // A note with its code references linked: [text, [[start, end, code, kind], ...]].
  function note(n) {
    var text = n[0], out = el("span", { "class": "cc-ask__note-text" }), pos = 0;
    n[1].forEach(function (m) {
      if (m[0] < pos) return;
      out.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var url = m[3] ? refUrl(m[2], m[3]) : null;
      out.appendChild(url ? el("a", { href: url, text: text.slice(m[0], m[1]) })
                          : document.createTextNode(text.slice(m[0], m[1])));
      pos = m[1];
    });
    out.appendChild(document.createTextNode(text.slice(pos)));
    return out;
  }

  function list(items) {
    return el("ul", {}, items.map(function (i) { return el("li", {}, [i]); }));
  }

  // --- reading a question ------------------------------------------------------------------

  var STOP = ("a about all also am an and any are as at be been between by can code codes coded " +
    "coding could difference do does for from get have how i if in into is it its me modifier " +
    "modifiers mean means meaning of on or should than that the their them then there these this " +
    "to use used using vs versus was we what when where which while who why will with would you " +
    "your tell explain please give show list my vs. compare type other unspecified specified find " +
    "look need know want page pages").split(" ");
  var NOT_MODIFIERS = ("AM AN AS AT BE BY DO GO HE HI IF IN IS IT ME MY NO OF OK ON OR SO TO UP US WE " +
    "ID VS").split(" ");

  var ICD = /\b([A-Za-z]\d[0-9A-Za-z](?:\.[0-9A-Za-z]{1,4})?)(?![\w.-])/g;
  var ICD_DOTLESS = /\b([A-Za-z]\d[0-9A-Za-z]{2,5})\b/g;
  var CPT = /\b(\d{4}[0-9FT])\b/g;
  var RANGE = /\b([A-Za-z]\d[0-9A-Za-z](?:\.[0-9A-Za-z]{1,4})?|\d{4}[0-9FT])\s*(?:-|–|to|through)\s*([A-Za-z]\d[0-9A-Za-z](?:\.[0-9A-Za-z]{1,4})?|\d{4}[0-9FT])\b/g;
  var MOD_AFTER_WORD = /\b(?:modifiers?|mods?)\s*-?\s*([0-9A-Za-z]{2})\b((?:\s*(?:,|\/|&|and|or|vs\.?|versus|v\.?)\s*-?\s*[0-9A-Za-z]{2}\b)*)/gi;
  var MOD_TOKEN = /(?:^|[\s(,\/-])-?([0-9A-Za-z]{2})(?=$|[\s),.?!\/:;])/g;

  // Codes, ranges and modifiers named in a question, in order, each checked against the data.
  function mentions(text) {
    var found = [];
    function add(pos, kind, code) {
      if (!found.some(function (f) { return f.kind === kind && f.code === code; })) {
        found.push({ pos: pos, kind: kind, code: code });
      }
    }
    var covered = [];
    function free(start, end) {
      return !covered.some(function (c) { return start < c[1] && end > c[0]; });
    }
    var m;
    RANGE.lastIndex = 0;
    while ((m = RANGE.exec(text))) {
      var a = dotted(m[1]), b = dotted(m[2]);
      if (/^\d/.test(a) === /^\d/.test(b)) { add(m.index, "range", a + "-" + b); covered.push([m.index, m.index + m[0].length]); }
    }
    MOD_AFTER_WORD.lastIndex = 0;
    while ((m = MOD_AFTER_WORD.exec(text))) {
      var codes = [m[1]].concat((m[2] || "").match(/[0-9A-Za-z]{2}\b/g) || []);
      codes.forEach(function (c) {
        c = c.toUpperCase();
        if (c !== "OR" && c !== "VS") add(m.index, "modifier", c);
      });
      covered.push([m.index, m.index + m[0].length]);
    }
    [CPT, ICD, ICD_DOTLESS].forEach(function (re) {
      re.lastIndex = 0;
      while ((m = re.exec(text))) {
        if (!free(m.index, m.index + m[0].length)) continue;
        var code = re === CPT ? m[1] : dotted(m[1]);
        if (/^[A-Va-v]\d{4}$/.test(m[1])) code = m[1].toUpperCase();    // HCPCS G0008, not G00.08
        add(m.index, "code", code);
        covered.push([m.index, m.index + m[0].length]);
      }
    });
    // Modifiers written bare: "52 vs 53", "59 and XU", "-25".
    MOD_TOKEN.lastIndex = 0;
    while ((m = MOD_TOKEN.exec(text))) {
      var start = m.index + m[0].indexOf(m[1]);
      if (!free(start, start + 2)) continue;
      var t = m[1].toUpperCase();
      var upperInText = m[1] === t;
      if (!manifest.modifiers[t] || NOT_MODIFIERS.indexOf(t) >= 0) continue;
      if (/^[A-Z]{2}$/.test(t) && !upperInText && !/modifier|\bvs\b|versus|differ|compare/i.test(text)) continue;
      add(start, "modifier", t);
    }
    found.sort(function (x, y) { return x.pos - y.pos; });
    return found;
  }

  // "chapter 4": the ICD-10-CM chapter's range.
  function chapters(text) {
    var out = [], re = /\bchapter\s+(\d{1,2})\b/gi, m;
    while ((m = re.exec(text))) {
      var number = String(parseInt(m[1], 10));
      Object.keys(manifest.ranges).forEach(function (code) {
        if (manifest.ranges[code][2] === number) out.push({ pos: m.index, kind: "range", code: code });
      });
    }
    return out;
  }

  function resolveMention(m) {
    if (m.kind === "modifier") return getModifier(m.code);
    if (m.kind === "range") {
      if (manifest.ranges[m.code]) return getRange(m.code);
      return Promise.resolve(null);
    }
    if (manifest.ranges[m.code]) return getRange(m.code);
    return getCode(m.code).then(function (e) {
      if (e || !manifest.modifiers[m.code]) return e;
      return getModifier(m.code);
    });
  }

  function words(text) {
    return text.toLowerCase().replace(/e\/m\b|e&m\b|\bem\b/g, "evaluation management")
      .replace(/[^a-z0-9\s]/g, " ").split(/\s+/).filter(function (w) {
        return w.length > 1 && STOP.indexOf(w) < 0;
      });
  }

  function stem(w) { return w.replace(/(ies|es|s|ing|ed)$/, ""); }

  // --- answers -----------------------------------------------------------------------------

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

  function systemLabel(entry) {
    if (entry.k === "m") return (manifest.labels[entry.s] || "") + " modifier";
    if (entry.k === "r") return (manifest.labels[entry.s] || "") + " code range";
    return (manifest.labels[entry.s] || "") + " code";
  }

  function whatIs(entry) {
    var a = new Answer("what", "");
    a.cite(entry);
    var head = entry.k === "m" ? "Modifier " + entry.c : entry.c;
    a.lead = head + " is the " + systemLabel(entry) + " \u201c" + entry.t + "\u201d.";
    if (entry.b === 1) a.add(el("p", { text: "It is billable: valid on a claim as it stands." }));
    else if (entry.b === 0 && entry.k === "c") a.add(el("p", { text: "It is a header, not billable by itself: report one of the codes under it." }));
    if (entry.st === "deleted") a.add(el("p", { text: "It is deleted: not valid for dates of service after its end date." }));
    if (entry.d) a.add(el("p", { text: entry.d }));
    if (entry.o) a.add(el("p", { text: "Official descriptor: " + entry.o }));
    if (entry.it) a.add(el("p", { text: "Covers: " + entry.it.join("; ") + "." }));
    if (entry.u) a.add(el("p", { text: "Use it when:" })).add(list(entry.u.map(note)));
    if (entry.seventh && entry.origin) {
      a.add(el("p", {}, ["Its 7th character ", el("strong", { text: entry.seventh }), " is added to ", link(entry.origin), " " + entry.origin.t + "."]));
      a.cite(entry.origin);
    }
    return Promise.resolve(a);
  }

  function modifierUsage(entry) {
    var a = new Answer("modifier-usage", "When to use modifier " + entry.c + " (" + entry.t + ")");
    a.cite(entry);
    if (entry.d) a.add(el("p", { text: entry.d }));
    if (entry.u) a.add(el("p", { text: "Use it when:" })).add(list(entry.u.map(note)));
    if (entry.n) a.add(el("p", { text: "Do not use it when:" })).add(list(entry.n.map(note)));
    if (!entry.u && !entry.n) a.add(el("p", { text: "The reference has no usage notes for this modifier; its page gives the official descriptor." }));
    var confused = (entry.rel && entry.rel.confused_with) || [];
    if (confused.length) {
      a.add(el("p", {}, ["Often confused with: "].concat(confused.map(function (c, i) {
        return el("span", {}, [i ? ", " : "", el("a", { href: refUrl(c, "m"), text: c })]);
      }))));
    }
    return Promise.resolve(a);
  }

  function compareModifiers(x, y) {
    var a = new Answer("modifier-compare", "Modifier " + x.c + " vs modifier " + y.c);
    a.cite(x).cite(y);
    var related = ((x.rel && x.rel.confused_with) || []).indexOf(y.c) >= 0 ||
                  ((y.rel && y.rel.confused_with) || []).indexOf(x.c) >= 0;
    a.add(el("p", { text: related ? "The reference lists these two as often confused with each other." :
      "The reference does not list these two as often confused; here is what each is for." }));
    [x, y].forEach(function (m) {
      var box = el("div", { "class": "cc-ask__side" }, [el("h4", {}, ["Modifier ", link(m), " " + m.t])]);
      if (m.d) box.appendChild(el("p", { text: m.d }));
      if (m.u) { box.appendChild(el("p", { text: "Use " + m.c + " when:" })); box.appendChild(list(m.u.map(note))); }
      if (m.n) { box.appendChild(el("p", { text: "Do not use " + m.c + " when:" })); box.appendChild(list(m.n.map(note))); }
      a.add(box);
    });
    return Promise.resolve(a);
  }

  function covers(ref, kind, code) {
    var target = bare(code);
    if (kind === "r" || /-/.test(ref)) {
      var ends = ref.split("-");
      if (ends.length !== 2) return false;
      var lo = bare(ends[0]), hi = bare(ends[1]);
      return target.slice(0, lo.length) >= lo && target.slice(0, hi.length) <= hi;
    }
    return target.indexOf(bare(ref)) === 0;
  }

  // Notes of the given types on `entry` and above it that name `other`.
  function notesNaming(entry, other, types) {
    return chain(entry).then(function (list) {
      var hits = [];
      list.forEach(function (holder) {
        (types || ["excludes1", "excludes2"]).forEach(function (type) {
          ((holder.i && holder.i[type]) || []).forEach(function (n) {
            if (n[1].some(function (m) { return covers(m[2], m[3], other.c); })) {
              hits.push({ type: type, note: n, holder: holder, inherited: holder !== entry });
            }
          });
        });
      });
      return hits;
    });
  }

  function hitLine(hit, subject) {
    var label = INSTRUCTION_LABELS[hit.type];
    var where = hit.inherited ? ["at ", link(hit.holder), " (" + (hit.holder.k === "r" ? "the range" : "the code") + " above " + subject.c + ", so it applies to " + subject.c + ")"]
                              : ["at ", link(hit.holder), " itself"];
    return el("span", {}, [el("strong", { text: label }), " note \u201c", note(hit.note), "\u201d "].concat(where));
  }

  function together(x, y, asked) {
    var SEQUENCING = ["code_first", "use_additional", "code_also"];
    return Promise.all([notesNaming(x, y), notesNaming(y, x), notesNaming(x, y, SEQUENCING),
                        notesNaming(y, x, SEQUENCING)]).then(function (r) {
      var hits = r[0].map(function (h) { h.subject = x; return h; })
        .concat(r[1].map(function (h) { h.subject = y; return h; }));
      var order = r[2].map(function (h) { h.subject = x; return h; })
        .concat(r[3].map(function (h) { h.subject = y; return h; }));
      var one = hits.filter(function (h) { return h.type === "excludes1"; });
      var two = hits.filter(function (h) { return h.type === "excludes2"; });
      var a = new Answer("together", "");
      a.cite(x).cite(y);
      hits.forEach(function (h) { a.cite(h.holder); });
      if (one.length) {
        a.verdict = "no";
        a.lead = "No: " + x.c + " and " + y.c + " are not coded together. An Excludes1 note separates them.";
        a.add(list(one.map(function (h) { return hitLine(h, h.subject); })));
        a.add(el("p", { text: "Excludes1 means \u201cnot coded here\u201d: the two conditions cannot occur together. The one exception in the guidelines is when the two conditions are unrelated to each other." }));
      } else if (two.length) {
        a.verdict = "yes";
        a.lead = "Yes, when the patient has both: an Excludes2 note links " + x.c + " and " + y.c + ", so both may be reported together.";
        a.add(list(two.map(function (h) { return hitLine(h, h.subject); })));
        a.add(el("p", { text: "Excludes2 means \u201cnot included here\u201d: the other condition is not part of this code, and both codes may be reported when both conditions are present." }));
      } else {
        a.verdict = "none";
        a.lead = "No Excludes1 or Excludes2 note in the reference connects " + x.c + " and " + y.c + ".";
        a.add(el("p", { text: "Neither code, nor any category, block or chapter above them, excludes the other, so the tabular list does not forbid reporting them together. Check the Official Guidelines and payer edits for the case." }));
      }
      if (order.length) {
        a.add(el("p", { text: "Sequencing notes between them:" }));
        a.add(list(order.map(function (h) { return hitLine(h, h.subject); })));
        order.forEach(function (h) { a.cite(h.holder); });
      }
      if (WANTS.compare.test(asked.toLowerCase()) && !WANTS.together.test(asked.toLowerCase())) {
        // "Difference between E11.9 and E11.65": what each is comes first.
        a.add(el("p", { "class": "cc-ask__verdict", text: a.lead }));
        a.lead = x.c + " is \u201c" + x.t + "\u201d; " + y.c + " is \u201c" + y.t + "\u201d.";
      }
      [x, y].forEach(function (e) { a.add(el("p", {}, [named(e)])); });
      return a;
    });
  }

  var INSTRUCTION_LABELS = { code_first: "Code first", use_additional: "Use additional code", code_also: "Code also", excludes1: "Excludes1", excludes2: "Excludes2" };

  function instructions(entry, types, kind, lead) {
    return chain(entry).then(function (list) {
      var a = new Answer(kind, lead);
      a.cite(entry);
      var any = false;
      types.forEach(function (type) {
        var items = [];
        list.forEach(function (holder) {
          ((holder.i && holder.i[type]) || []).forEach(function (n) {
            items.push(el("span", {}, [note(n), holder === entry ? "" : " ", holder === entry ? "" : el("span", { "class": "cc-ask__from" }, ["(at ", link(holder), ")"])]));
            a.cite(holder);
          });
        });
        if (items.length) {
          any = true;
          a.add(el("p", {}, [el("strong", { text: INSTRUCTION_LABELS[type] }), " (" + items.length + " note" + (items.length === 1 ? "" : "s") + ")"]));
          a.add(listOf(items));
        }
      });
      if (!any) {
        a.verdict = "none";
        a.add(el("p", { text: "Neither " + entry.c + " nor any code, category, block or chapter above it has a " +
          types.map(function (t) { return INSTRUCTION_LABELS[t]; }).join(", ") + " note in the reference." }));
      }
      return a;
    });
  }

  function listOf(items) { return el("ul", {}, items.map(function (i) { return el("li", {}, [i]); })); }

  var ENCOUNTER = [
    { word: /\binitial\b|\bfirst\b|\bactive\b/, key: "initial encounter" },
    { word: /\bsubsequent\b|\bfollow[- ]?up\b|\broutine healing\b|\brecovery\b/, key: "subsequent encounter" },
    { word: /\bsequela[es]?\b|\blate effect/, key: "sequela" }
  ];
  var QUALIFIERS = ["open", "closed", "delayed healing", "nonunion", "malunion", "routine healing",
    "type i or ii", "type iiia", "fetus"];

  function seventh(entry, question) {
    var a = new Answer("seventh", "");
    a.cite(entry);
    var base = entry.origin || entry;
    if (entry.seventh) a.cite(base);
    return definer(base).then(function (d) {
      if (!d) {
        a.verdict = "none";
        a.lead = base.c + " takes no 7th character.";
        a.add(el("p", { text: "No 7th-character definition applies to " + base.c + " or to any code above it." }));
        return a;
      }
      a.cite(d);
      if (!base.x) {
        a.verdict = "header";
        a.lead = base.c + " is not a complete code yet: choose a code under it, then add the 7th character.";
        a.add(el("p", {}, ["The 7th characters are defined at ", link(d), " " + d.t + "."]));
        return children(base).then(function (c) { c.parts.forEach(function (p) { a.add(p); }); return a; });
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
      // "What does D mean on S72.001D?": the code already carries its 7th character.
      if (entry.seventh && !wanted.length) matching = rows.filter(function (r) { return r[0] === entry.seventh; });
      else if (!wanted.length || !matching.length) matching = rows;
      var first = matching[0];
      a.verdict = first[0];
      var code = seventhCode(base.c, first[0]);
      if (entry.seventh && !wanted.length) {
        a.lead = "In " + entry.c + ", the 7th character " + first[0] + " means " + first[1] + ".";
      } else if (matching.length === 1 || wanted.length) {
        a.lead = "7th character " + first[0] + " (" + first[1] + "): " + code + ".";
      } else {
        a.lead = base.c + " takes these 7th characters.";
      }
      var items = matching.map(function (r) {
        var c = seventhCode(base.c, r[0]);
        return el("span", {}, [el("strong", { text: r[0] }), " " + r[1] + ": ", el("a", { href: href(manifest.folders[base.s] + "/" + c + "/"), "class": "cc-ask__code", text: c })]);
      });
      a.add(listOf(items));
      if (wanted.length && matching.length > 1) {
        a.add(el("p", { text: "More than one 7th character fits that description; the first is the usual one, the others apply to the cases they name." }));
      }
      a.add(el("p", {}, ["Defined at ", link(d), " " + d.t + (/X/.test(code.slice(4, 7)) ? ". The placeholder X fills the empty positions before the 7th character." : ".")]));
      return a;
    });
  }

  function children(entry) {
    var a = new Answer("children", "");
    a.cite(entry);
    var found;
    if (entry.k === "r") {
      found = Promise.resolve((entry.ch || []).map(function (c) { return { c: c[0], t: c[1], k: c[2], s: entry.s }; }));
    } else {
      found = load("c/" + bare(entry.c).slice(0, 3)).then(function (entries) {
        return entries.filter(function (e) { return e.p === entry.c; });
      });
    }
    return found.then(function (kids) {
      if (!kids.length) {
        a.verdict = "none";
        a.lead = entry.c + " has no codes under it in the reference.";
        if (entry.x && entry.k === "c") a.add(el("p", { text: "It is completed with a 7th character: ask for the 7th character of " + entry.c + "." }));
        return a;
      }
      var ranges = kids.filter(function (k) { return k.k === "r"; }).length;
      var noun = ranges === kids.length ? (ranges === 1 ? "range" : "ranges")
        : (kids.length === 1 ? "code" : "codes") + (ranges ? " and ranges" : "");
      a.lead = kids.length + " " + noun + " directly under " + entry.c + " " + entry.t + ":";
      a.add(listOf(kids.slice(0, MAX_LIST).map(function (k) { return el("span", {}, [link(k), " " + k.t + (k.b === 1 ? "" : k.b === 0 ? " (header)" : "")]); })));
      if (kids.length > MAX_LIST) a.add(el("p", {}, ["and " + (kids.length - MAX_LIST) + " more on the page of ", link(entry), "."]));
      return a;
    });
  }

  function topics(question) {
    var qw = words(question).map(stem);
    if (!qw.length) return null;
    var scored = [];
    function score(title, extra) {
      var tw = words(title).map(stem), ew = words(extra || "").map(stem), s = 0;
      // Words match whole, or by their first six letters ("hypertension", "hypertensive").
      function has(list, w) {
        return list.some(function (t) { return t === w || (t.length >= 6 && w.length >= 6 && t.slice(0, 6) === w.slice(0, 6)); });
      }
      var matched = 0;
      qw.forEach(function (w) {
        if (has(tw, w)) { s += 3; matched++; }
        else if (has(ew, w)) { s += 1; matched++; }
      });
      // A page that shares one word of a longer question ("fracture" of "fracture of femur")
      // is not an answer to it.
      return matched >= Math.ceil(qw.length / 2) ? s : 0;
    }
    manifest.topics.forEach(function (t) {
      var s = score(t[0], t[2]);
      if (s >= 3) scored.push({ s: s, title: t[0], url: href(t[1]) });
    });
    Object.keys(manifest.ranges).forEach(function (code) {
      var r = manifest.ranges[code];
      var s = score(r[0], "");
      if (s >= 3) scored.push({ s: s + 0.5, title: (r[2] ? "Chapter " + r[2] + ": " : "") + r[0] + " (" + code + ")", url: href(manifest.folders[r[1]] + "/" + code + "/"), code: code });
    });
    if (!scored.length) return null;
    scored.sort(function (x, y) { return y.s - x.s; });
    var best = scored[0].s;
    var top = scored.filter(function (t) { return t.s >= best - 1; }).slice(0, 5);
    var a = new Answer("topic", "The reference has " + (top.length === 1 ? "a page" : "pages") + " on that:");
    a.add(listOf(top.map(function (t) { return el("a", { href: t.url, text: t.title }); })));
    top.forEach(function (t) { a.sources.push({ topic: true, title: t.title, url: t.url }); });
    return a;
  }

  function unknown(question, reason) {
    var a = new Answer("unknown", "I can't answer that from the reference.");
    if (reason) a.add(el("p", { text: reason }));
    a.add(el("p", {}, ["Try ", el("a", { href: searchUrl(question), "class": "cc-ask__search", text: "searching the reference" }),
      ", or ", el("a", { href: expertUrl(question), "class": "cc-ask__expert-link", text: "ask an expert" }),
      ": an editor answers by email."]));
    return a;
  }

  var WANTS = {
    together: /\btogether\b|\bwith\b|\balongside\b|\bsame (claim|time|encounter|visit|record)\b|\bboth\b|\bexclud|\bin addition to\b|\bplus\b/,
    compare: /\bvs\.?\b|\bversus\b|\bdiffer|\bcompare|\bdistinguish|\bor\b/,
    seventh: /\b7th\b|\bseventh\b|\bencounter\b|\bsequela\b|\bepisode\b|\bextension\b/,
    sequence: /\bcode first\b|\bsequenc|\buse additional\b|\badditional code|\bcode also\b|\bcoded? (first|before|after)\b|\bwhat else\b|\bunderlying\b|\betiology\b|\bmanifestation\b/,
    excludes: /\bexclud/,
    children: /\bunder\b|\bwithin\b|\binside\b|\bsubcodes?\b|\bsub-codes?\b|\bsubcategor|\bchildren\b|\bchild codes\b|\bbelong|\bfalls? (under|in)\b|\bwhat codes\b|\bwhich codes\b|\bcodes (are )?in\b|\bwhat(?:'s| is) in\b|\blist\b|\bbreakdown\b|\binclude[sd]? in\b/,
    usage: /\bwhen\b|\bhow (to|do|should)\b|\bappend|\bused? for\b|\bshould i use\b|\bcan i use\b|\busage\b|\bapply\b/
  };

  var OUT_OF_SCOPE = [
    { re: /\b(pay|pays|paid|payment|reimburs\w*|fee schedule|fees?|rvus?|allowable|allowed amount|price|cost|how much)\b/,
      why: "Payment amounts and fee schedules are not in the reference." },
    { re: /\b(ncci|ptp|mues?|edit pairs?)\b/,
      why: "NCCI edit pairs and medically unlikely edits are not in the reference." },
    { re: /\b(medical necessity|medically necessary|lcds?|ncds?|prior auth\w*|preauthori\w*|denied|denials?)\b|\b(covered|coverage|cover)\b.*\b(medicare|medicaid|payers?|insurance|insurers?)\b|\b(medicare|medicaid|payers?|insurance|insurers?)\b.*\b(covered|coverage|cover)\b/,
      why: "Coverage, medical necessity and payer policies are not in the reference." }
  ];

  function answer(question) {
    var text = String(question || "").slice(0, MAX_QUESTION).trim();
    if (!text) return Promise.resolve(null);
    return ready().then(function () {
      var ms = chapters(text).concat(mentions(text));
      return Promise.all(ms.map(resolveMention)).then(function (entries) {
        var known = [], missing = [];
        ms.forEach(function (m, i) { if (entries[i]) known.push(entries[i]); else missing.push(m); });
        var lower = text.toLowerCase();
        var mods = known.filter(function (e) { return e.k === "m"; });
        var icd = known.filter(function (e) { return e.s === "icd-10-cm" && e.k === "c"; });
        if (!known.length && missing.length) {
          var names = missing.map(function (m) { return (m.kind === "modifier" ? "modifier " : "") + m.code; }).join(", ");
          var t = topics(text);
          if (t && missing.every(function (m) { return m.kind === "modifier"; })) return t;
          return unknown(text, names + (missing.length === 1 ? " is" : " are") + " not in the reference.");
        }
        var outside = OUT_OF_SCOPE.filter(function (o) { return o.re.test(lower); })[0];
        if (outside) {
          // The question names a code but asks what the records do not hold: say so, and
          // still link the code's page.
          var no = unknown(text, outside.why);
          known.forEach(function (e) { no.add(el("p", {}, [named(e)])); no.cite(e); });
          return no;
        }
        var procedures = known.filter(function (e) { return e.k === "c" && e.s !== "icd-10-cm"; });
        if (procedures.length && known.filter(function (e) { return e.k === "c"; }).length >= 2 &&
            (WANTS.together.test(lower) || /\bbill|\breport|\bcan\b|\bmay\b/.test(lower))) {
          // Whether procedure codes are billed together is decided by NCCI edits and payer rules,
          // which the reference does not hold: say so rather than answer something else.
          no = unknown(text, "Whether " + known.map(function (e) { return e.c; }).join(" and ") +
            " may be billed together depends on NCCI edit pairs and payer rules, which this reference does not include. Excludes notes only apply between ICD-10-CM codes.");
          known.forEach(function (e) { no.add(el("p", {}, [named(e)])); no.cite(e); });
          return no;
        }
        if (mods.length >= 2) return compareModifiers(mods[0], mods[1]);
        if (icd.length >= 2 && (WANTS.together.test(lower) || WANTS.compare.test(lower) || /\bcan\b|\bmay\b|\ballowed\b|\breport/.test(lower))) return together(icd[0], icd[1], text);
        var one = known[0];
        if (one && one.s === "icd-10-cm" && one.k === "c" && WANTS.seventh.test(lower)) return seventh(one, text);
        if (one && one.s === "icd-10-cm" && WANTS.sequence.test(lower)) {
          var types = /\bcode first\b|\bfirst\b|\bbefore\b|\bunderlying\b|\betiology\b|\bsequenc/.test(lower) && !/\badditional\b|\bafter\b/.test(lower)
            ? ["code_first"] : /\badditional\b|\bafter\b/.test(lower) && !/\bfirst\b/.test(lower) ? ["use_additional"]
            : ["code_first", "use_additional", "code_also"];
          if (/\bcode also\b/.test(lower)) types = ["code_also"];
          return instructions(one, types, "sequence", "What to code with " + one.c + " " + one.t);
        }
        if (one && one.s === "icd-10-cm" && WANTS.excludes.test(lower)) {
          return instructions(one, ["excludes1", "excludes2"], "excludes", "Excludes notes for " + one.c + " " + one.t);
        }
        if (one && (one.k === "r" || (one.k === "c" && one.b !== 1 && one.s === "icd-10-cm")) && WANTS.children.test(lower)) return children(one);
        if (one && one.k === "r" && !/\bwhat (is|does)\b|\bmean/.test(lower)) return children(one);
        if (one && one.k === "m" && WANTS.usage.test(lower)) return modifierUsage(one);
        if (one && one.k === "m" && WANTS.compare.test(lower) && one.rel && one.rel.confused_with) return modifierUsage(one);
        if (one) return whatIs(one);
        return topics(text) || unknown(text, "");
      });
    });
  }

  // --- the box -----------------------------------------------------------------------------

  function render(a, box) {
    box.textContent = "";
    if (!a) return;
    var card = el("article", { "class": "cc-ask__card cc-ask__card--" + a.kind, "data-kind": a.kind });
    if (a.verdict) card.setAttribute("data-verdict", a.verdict);
    if (a.lead) card.appendChild(el("p", { "class": "cc-ask__lead", text: a.lead }));
    a.parts.forEach(function (p) { card.appendChild(p); });
    if (a.sources.length) {
      card.appendChild(el("p", { "class": "cc-ask__sources" }, ["Sources: "].concat(a.sources.map(function (s, i) {
        var item = s.topic ? el("a", { href: s.url, text: s.title }) : el("span", {}, [link(s), " " + s.t]);
        return el("span", {}, [i ? "; " : "", item]);
      }))));
    }
    box.appendChild(card);
  }

  if (!section) return;
  var form = section.querySelector("form");
  var input = section.querySelector(".cc-ask__input");
  var box = section.querySelector(".cc-ask__answer");
  var expert = section.querySelector(".cc-ask__expert");
  var pageCode = (function () {
    var parts = window.location.pathname.replace(/index\.html$/, "").replace(/\.html$/, "/").split("/").filter(Boolean);
    return parts.length >= 2 && /^(cpt|hcpcs|icd-10-cm|modifiers)$/.test(parts[parts.length - 2]) ? decodeURIComponent(parts[parts.length - 1]) : "";
  })();

  function ask(question) {
    box.setAttribute("aria-busy", "true");
    return answer(question).then(function (a) { render(a, box); }, function (err) {
      render(unknown(question, "The reference's answer data did not load (" + err.message + ")."), box);
    }).then(function () {
      box.removeAttribute("aria-busy");
      section.setAttribute("data-answered", String(Number(section.getAttribute("data-answered") || 0) + 1));
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = input.value.trim();
    if (!q) return;
    expert.href = expertUrl(q, pageCode);
    ask(q);
  });
  // Shown only now: without JavaScript there is nothing to answer with.
  section.hidden = false;
  expert.href = expertUrl("", pageCode);
  var initial = section.hasAttribute("data-ask-page") ? new URLSearchParams(window.location.search).get("q") : null;
  if (initial) { input.value = initial.slice(0, MAX_QUESTION); ask(input.value); }
  window.__askAnswer = answer;   // for tests and the console
})();
