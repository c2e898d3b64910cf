/*
 * The ask box's records (OCR.ask.Store): the manifest, codes, ranges and modifiers from the
 * ask-data/ files that generator/ask.py writes, loaded on demand through `load(name)`, a
 * function that returns a promise of one file's data: in the browser the shared shard loader
 * (OCR.shards, callback __askShard), under node --test the same loader over a folder or data
 * in memory. Code rules come from OCR.codes (core/codes.js).
 */
(function (root) {
  "use strict";
  var OCR = root.OCR = root.OCR || {};
  var ask = OCR.ask = OCR.ask || {};
  var codes = OCR.codes;

  ask.Store = function (load) {
    var store = this;
    this.load = load;
    this.manifest = null;
    var keys = null;

    this.ready = function () {
      return load("manifest").then(function (m) {
        if (!store.manifest) {
          store.manifest = m;
          keys = Object.create(null);
          m.codes.forEach(function (k) { keys[k] = true; });
        }
        return m;
      });
    };

    // A code record, or null. `system` ('hcpcs', 'icd-10-cm', 'cpt') keeps a code in the system
    // it was written in: G0439 is never the ICD-10-CM code G04.39. Codes with a 7th character
    // are derived from their base code, as generator/tabular.py derives their pages.
    this.getCode = function (code, system) {
      var want = codes.bare(code), key = want.slice(0, 3);
      if (!keys[key]) return Promise.resolve(null);
      return load("c/" + key).then(function (entries) {
        var found = null;
        entries.forEach(function (e) {
          if (!found && codes.bare(e.c) === want && (!system || e.s === system)) found = e;
        });
        if (found || want.length !== 7 || (system && system !== "icd-10-cm")) return found;
        var char = want.charAt(6), base = want.slice(0, 6).replace(/X+$/, ""), origin = null;
        entries.forEach(function (e) {
          if (e.s === "icd-10-cm" && codes.bare(e.c) === base && e.x && e.x.indexOf(char) >= 0) origin = e;
        });
        if (!origin) return null;
        return store.definer(origin).then(function (d) {
          var meaning = d && d.sd[char];
          return { c: codes.seventhCode(origin.c, char), t: origin.t + (meaning ? ", " + meaning : ""),
                   s: origin.s, k: "c", p: origin.c, b: 1, seventh: char, origin: origin,
                   h: origin.h7 && origin.h7[char] };
        });
      });
    };

    // A code the shown release does not hold as a billable code but the release history knows:
    // deleted since FY2024 or added after the shown release (ask-data/past.js, loaded once, on
    // demand). An entry like getCode's, with `past`: {d | a, t, s | u, v}; null otherwise.
    var past = null;
    this.getPast = function (code) {
      var H = store.manifest && store.manifest.history;
      if (!H || !H.past) return Promise.resolve(null);
      if (!past) {
        past = load("past").then(function (data) {
          var byBare = Object.create(null);
          Object.keys(data.codes).forEach(function (c) { byBare[codes.bare(c)] = c; });
          return { data: data, byBare: byBare };
        });
      }
      return past.then(function (p) {
        var c = p.byBare[codes.bare(code)];
        if (!c) return null;
        var rec = p.data.codes[c];
        return { c: c, t: rec.t || "", s: "icd-10-cm", k: "c", b: 1, past: rec, changes: p.data.changes };
      });
    };

    // Whether the reference holds any code filed under the first three characters of `code`.
    this.holdsCategory = function (code) { return !!keys[codes.bare(code).slice(0, 3)]; };

    this.getRange = function (code) {
      return store.manifest.ranges[code] ? load("r/" + code) : Promise.resolve(null);
    };
    this.getModifier = function (code) {
      return store.manifest.modifiers[code] ? load("m/" + code) : Promise.resolve(null);
    };
    this.getParent = function (entry) {
      if (!entry || !entry.p) return Promise.resolve(null);
      return store.manifest.ranges[entry.p] ? store.getRange(entry.p) : store.getCode(entry.p);
    };

    // The record and everything above it: subcategory, category, block, chapter.
    this.chain = function (entry) {
      var out = [entry];
      function up(e) {
        return store.getParent(e).then(function (p) {
          if (!p || out.length > 12) return out;
          out.push(p);
          return up(p);
        });
      }
      return up(entry);
    };

    // The record whose 7th-character definitions apply: the code itself or its nearest ancestor.
    this.definer = function (entry) {
      return store.chain(entry).then(function (list) {
        for (var i = 0; i < list.length; i++) if (list[i].sd) return list[i];
        return null;
      });
    };

    // The records directly under `entry`.
    this.children = function (entry) {
      if (entry.k === "r") {
        return Promise.resolve((entry.ch || []).map(function (c) { return { c: c[0], t: c[1], k: c[2], s: entry.s }; }));
      }
      return load("c/" + codes.bare(entry.c).slice(0, 3)).then(function (entries) {
        return entries.filter(function (e) { return e.p === entry.c; });
      });
    };
  };

  // Where a record sits in the classification, for citations: 'chapter 4', 'block', 'category'.
  ask.level = function (entry) {
    if (entry.k === "m") return "modifier";
    if (entry.k === "r") return entry.chapter ? "chapter " + entry.chapter : entry.s === "icd-10-cm" ? "block" : "range";
    if (entry.s !== "icd-10-cm") return "code";
    if (codes.bare(entry.c).length === 3) return "category";
    return entry.b === 0 ? "subcategory" : "code";
  };
})(typeof window !== "undefined" ? window : globalThis);
