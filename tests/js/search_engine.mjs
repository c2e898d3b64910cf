// The search engine (overrides/assets/javascripts/search/*.js) under Node, without a browser:
// the shared core and the engine scripts run in a vm context (tests/js/load.mjs), and the
// index files of a built site are loaded by the core's shard loader as the browser loads them.
//
//   const search = openSearch("/tmp/site");           // a folder holding search-index/
//   const result = await search("chf", { limit: 5 });
import { CORE, loadScripts } from "./load.mjs";

export const ENGINE = ["lunr.min.js", "search/index.js", "search/query.js", "search/words.js", "search/engine.js"];

export function openSearch(siteDir, options = {}) {
  const base = options.base || "http://site.test/";
  const attrs = { "core/urls.js": { "data-urls": options.fileUrls ? "file" : "directory" } };
  const win = loadScripts([...CORE, ...ENGINE], { base, siteDir, attrs });
  const OCR = win.OCR;
  const store = OCR.shards.create({ callback: "__searchShard", base: OCR.urls.asset("search-index/"),
                                    label: "search index file" });
  const loaded = [];
  const index = OCR.searchIndex.open({
    load: (name) => { loaded.push(name); return store.load(name); },
    site: OCR.urls.site.href, fileUrls: !OCR.urls.directoryUrls, offline: OCR.urls.offline,
  });
  const engine = OCR.searchEngine.create(index, win.lunr);
  const search = (input, opts) => engine.search(input, opts);
  Object.assign(search, { loaded, OCR, win, index });
  return search;
}
