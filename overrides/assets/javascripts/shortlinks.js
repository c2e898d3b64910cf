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
  var indexes = {};

  function indexShard(shard) {
    var exact = {}, bare = {};
    if (!shard || shard.v !== 1 || !shard.folders || (shard.suffix !== "/" && shard.suffix !== ".html")) return null;
    Object.keys(shard.folders).forEach(function (folder) {
      (shard.folders[folder] || []).forEach(function (code) {
        var url = folder + "/" + code + shard.suffix, upper = String(code).toUpperCase();
        if (!Object.prototype.hasOwnProperty.call(exact, upper)) exact[upper] = url;
        var b = upper.split(".").join("");
        if (!Object.prototype.hasOwnProperty.call(bare, b)) bare[b] = url;
      });
    });
    return { exact: exact, bare: bare };
  }

  function find(index, text) {
    var upper = String(text).toUpperCase(), b = upper.split(".").join("");
    var has = Object.prototype.hasOwnProperty;
    if (has.call(index.exact, upper)) return index.exact[upper];
    if (has.call(index.exact, b)) return index.exact[b];
    return has.call(index.bare, b) ? index.bare[b] : null;
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

  // done(index or null) for the shard `key`, indexed once.
  function load(key, done) {
    if (Object.prototype.hasOwnProperty.call(indexes, key)) return done(indexes[key]);
    shards().load(key).then(function (data) { indexes[key] = indexShard(data); done(indexes[key]); },
                            function () { done(null); });
  }

  /** Calls done(URL of the code's page, or null) for a spelling such as "e1165". */
  function resolve(text, done) {
    text = String(text || "").trim().replace(/^\/+|\/+$/g, "");
    if (!SHAPE.test(text)) return done(null);
    load(text.slice(0, 2).toUpperCase(), function (index) {
      var path = index && find(index, text);
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

  OCR.shortlinks = { resolve: resolve, find: find, indexShard: indexShard };
  var text = wanted();
  if (text) resolve(text, function (url) { if (url && url !== location.href) location.replace(url); });
})();
