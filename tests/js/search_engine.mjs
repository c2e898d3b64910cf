// The search engine (overrides/assets/javascripts/search/*.js) in a Node `vm` context, over an
// index folder written by generator/search.py: no browser, no DOM. Shard files are read from
// the folder and run in the same context, as the browser runs them as scripts.
//
//   const search = openSearch("/tmp/site/search-index");
//   const result = await search("chf", { limit: 5 });
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ASSETS = join(ROOT, "overrides", "assets", "javascripts");
export const ENGINE = ["lunr.min.js", "search/index.js", "search/query.js", "search/words.js", "search/engine.js"];

export function openSearch(indexDir, options = {}) {
  const context = vm.createContext({ console, URL });
  context.window = context;
  for (const path of ENGINE) {
    vm.runInContext(readFileSync(join(ASSETS, path), "utf8"), context, { filename: path });
  }
  const OCR = context.OCR;
  const loaded = [];
  context.__searchShard = (name, data) => { context.__last = [name, data]; };
  const index = OCR.searchIndex.open({
    site: options.site || "https://example.org/",
    fileUrls: !!options.fileUrls,
    offline: !!options.offline,
    load(name) {
      context.__last = null;
      const text = readFileSync(join(indexDir, name + ".js"), "utf8");
      loaded.push([name, Buffer.byteLength(text)]);
      vm.runInContext(text, context, { filename: name });
      if (!context.__last || context.__last[0] !== name) throw new Error(`search index file ${name} is damaged`);
      return context.__last[1];
    },
  });
  const engine = OCR.searchEngine.create(index, context.lunr);
  const search = (input, opts) => engine.search(input, opts);
  search.loaded = loaded;
  search.OCR = OCR;
  search.lunr = context.lunr;
  return search;
}
