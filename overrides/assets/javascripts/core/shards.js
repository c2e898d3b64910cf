/*
 * OCR.shards: the one loader for the data the build writes as script files that call
 * `window.<callback>(name, data)` (search-index/ with __searchShard, ask-data/ with __askShard;
 * written by generator/sitefiles.py shard_script). Script tags, not fetch, so the same files
 * load over HTTP and from file:// in the offline bundle. A classic script; needs nothing else.
 *
 *   var store = OCR.shards.create({ callback: "__askShard", base: URL of the folder,
 *                                   label: "ask data file" });
 *   store.load(name)    -> Promise of the data of `<base>/<name>.js`; each file is requested
 *                          once; a failed load is forgotten so that a later call retries;
 *                          rejects with "<label> <name> did not load" or "... is damaged"
 *                          (the file loaded but did not register `name`).
 *   store.get(name)     -> the data if loaded, else undefined
 *   store.has(name)     -> true once loaded
 *   OCR.shards.script(url) -> Promise: load any classic script once (lunr.min.js).
 *
 * Registering is first-come: a shard file that calls the callback with its name stores its
 * data, whichever store asked for it.
 */
(function () {
  "use strict";

  var OCR = window.OCR = window.OCR || {};
  var scripts = Object.create(null);

  function inject(url, onload, onerror) {
    var tag = document.createElement("script");
    tag.src = url;
    tag.async = true;
    tag.onload = onload;
    tag.onerror = onerror;
    (document.head || document.documentElement).appendChild(tag);
  }

  function script(url) {
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        inject(url, function () { resolve(true); },
               function () { reject(new Error("script " + url + " did not load")); });
      });
      scripts[url].catch(function () { delete scripts[url]; });
    }
    return scripts[url];
  }

  function create(options) {
    var loaded = Object.create(null);
    var waiting = Object.create(null);
    var label = options.label || "data file";
    var base = String(options.base);
    if (base.charAt(base.length - 1) !== "/") base += "/";
    window[options.callback] = function (name, data) { loaded[name] = data; };

    function load(name) {
      if (name in loaded) return Promise.resolve(loaded[name]);
      if (!waiting[name]) {
        waiting[name] = new Promise(function (resolve, reject) {
          inject(new URL(name + ".js", base).href, function () {
            if (name in loaded) resolve(loaded[name]);
            else reject(new Error(label + " " + name + " is damaged"));
          }, function () { reject(new Error(label + " " + name + " did not load")); });
        });
        waiting[name].catch(function () { delete waiting[name]; });
      }
      return waiting[name];
    }

    return {
      load: load,
      get: function (name) { return loaded[name]; },
      has: function (name) { return name in loaded; }
    };
  }

  OCR.shards = { create: create, script: script };
})();
