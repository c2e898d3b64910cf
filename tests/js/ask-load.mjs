// Loads the ask box's classic scripts (overrides/assets/javascripts/ask/*.js) into a fresh vm
// context, as the browser does, and gives a store over in-memory data files. To be replaced by
// the shared tests/js/load.mjs from branch core.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const ASK_SCRIPTS = ["codes-interim", "store", "links", "intents", "answers", "seventh", "together", "route"];

export function loadAsk() {
  const context = vm.createContext({ URL, URLSearchParams, Promise, console });
  context.window = context;
  for (const name of ASK_SCRIPTS) {
    const file = `${ROOT}overrides/assets/javascripts/ask/${name}.js`;
    vm.runInContext(readFileSync(file, "utf8"), context, { filename: file });
  }
  return context.OCR;
}

// A context {store, links} over `files` (name -> data, as generator/ask.py writes them).
export function contextFor(OCR, files, site = "https://example.org/") {
  const load = (name) => name in files ? Promise.resolve(files[name])
    : Promise.reject(new Error(`no data file ${name}`));
  const store = new OCR.ask.Store(load);
  const links = new OCR.ask.Links(new URL(site), true, store);
  return { store, links, from: "/ask/" };
}
