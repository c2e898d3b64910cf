/* Short links in the browser: /e1165 on the hosted 404 page, or ?go=E11.65 / #go=E11.65 on any
   page that includes this script (the offline bundle, opened from file://), open the code's page.
   The lookup is the build's (generator/shortlinks.py): shortlinks/<KK>.js, one
   __shortlinkShard("<KK>", data) script per first two characters, loaded on demand. The
   edge function (netlify/lib/shortlinks.mjs) resolves the same way on the server.
   The 404 page includes this script with data-from-path: only there is the address itself read. */
(function () {
  "use strict";
  var OCR = (window.OCR = window.OCR || {});
  var script = document.currentScript;
  var root = script ? script.src.replace(/assets\/javascripts\/shortlinks\.js(?:[?#].*)?$/, "") : "";
  var SHAPE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/;
  var checked = {};

  // A shard the build wrote ({ v: 1, suffix, folders: { folder: [codes] } }), else null.
  function checkShard(shard) {
    if (!shard || shard.v !== 1 || !shard.folders || (shard.suffix !== "/" && shard.suffix !== ".html")) return null;
    var ok = Object.keys(shard.folders).every(function (folder) {
      var codes = shard.folders[folder];
      return /^[a-z0-9-]+$/.test(folder) && Array.isArray(codes) && codes.every(function (c) {
        return typeof c === "string" && /^[A-Za-z0-9.-]+$/.test(c);
      });
    });
    return ok ? shard : null;
  }

  // As netlify/lib/shortlinks.mjs findIn: published spelling, then published as the dotless
  // spelling, then equal once both lose their dots; the first listed wins.
  function find(shard, text) {
    var upper = String(text).toUpperCase(), bare = upper.split(".").join("");
    var asBare = null, dotless = null;
    var folders = Object.keys(shard.folders);
    for (var f = 0; f < folders.length; f++) {
      var codes = shard.folders[folders[f]];
      for (var i = 0; i < codes.length; i++) {
        var published = codes[i].toUpperCase(), url = folders[f] + "/" + codes[i] + shard.suffix;
        if (published === upper) return url;
        if (asBare === null && published === bare) asBare = url;
        else if (dotless === null && published.split(".").join("") === bare) dotless = url;
      }
    }
    return asBare !== null ? asBare : dotless;
  }

  // The shard files call window.__shortlinkShard(name, data) (generator/sitefiles.py
  // shard_script). Loaded through the shared loader (core/shards.js) when the page has it,
  // else through a minimal loader with the same contract.
  var store = null;
  function shards() {
    if (store) return store;
    var base = root + "shortlinks/";
    if (OCR.shards && OCR.shards.create) {
      store = OCR.shards.create({ callback: "__shortlinkShard", base: base, label: "short-link table" });
      return store;
    }
    var loaded = {};
    window.__shortlinkShard = function (name, data) { loaded[name] = data; };
    store = { load: function (name) {
      return new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = base + name + ".js";
        tag.onload = function () {
          if (Object.prototype.hasOwnProperty.call(loaded, name)) resolve(loaded[name]);
          else reject(new Error("short-link table " + name + " is damaged"));
        };
        tag.onerror = function () { reject(new Error("short-link table " + name + " did not load")); };
        document.head.appendChild(tag);
      });
    } };
    return store;
  }

  // done(shard or null) for the shard `key`, checked once.
  function load(key, done) {
    if (Object.prototype.hasOwnProperty.call(checked, key)) return done(checked[key]);
    shards().load(key).then(function (data) { checked[key] = checkShard(data); done(checked[key]); },
                            function () { done(null); });
  }

  /** Calls done(URL of the code's page, or null) for a spelling such as "e1165". */
  function resolve(text, done) {
    text = String(text || "").trim().replace(/^\/+|\/+$/g, "");
    if (!SHAPE.test(text)) return done(null);
    load(text.slice(0, 2).toUpperCase(), function (shard) {
      var path = shard && find(shard, text);
      done(path ? root + path : null);
    });
  }

  function wanted() {
    var match = /[?&#]go=([^&#]*)/.exec(location.search + location.hash);
    if (match) {
      try { return decodeURIComponent(match[1]); } catch (e) { return null; }
    }
    if (!script || !script.hasAttribute("data-from-path") || location.protocol === "file:") return null;
    var segments = location.pathname.replace(/\/+$/, "").split("/");
    return segments.length === 2 ? segments[1] : null;
  }

  OCR.shortlinks = { resolve: resolve, find: find, checkShard: checkShard };
  var text = wanted();
  if (text) resolve(text, function (url) { if (url && url !== location.href) location.replace(url); });
})();
