// The shared vectors (tests/vectors/codes.json) against core/codes.js, as tests/test_codes.py
// runs them against generator/systems.py; and the other core scripts: dom, shards, urls.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CORE, ROOT, loadScripts } from "./load.mjs";

const VECTORS = JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "codes.json"), "utf-8"));
const win = loadScripts(CORE);
const codes = win.OCR.codes;
// Values made in the vm context have its own Array prototype: compare as plain JSON.
const plain = (v) => JSON.parse(JSON.stringify(v === undefined ? null : v));

const URL_MODES = {
  true: loadScripts(CORE, { attrs: { "core/urls.js": { "data-urls": "directory" } } }),
  false: loadScripts(CORE, { attrs: { "core/urls.js": { "data-urls": "file" } } }),
};

const FUNCTIONS = {
  normalize: codes.normalize,
  bare: codes.bare,
  dotted: codes.dotted,
  dotless_hint: codes.dotlessHint,
  readings: codes.readings,
  system_of: codes.systemOf,
  is_code: codes.isCode,
  is_modifier: codes.isModifier,
  range_contains: codes.rangeContains,
  covers: codes.covers,
  seventh_code: codes.seventhCode,
  seventh_base: codes.seventhBase,
  parent_code: (code, known) => codes.parentCode(code, (c) => known.includes(c)),
  term_shard: codes.termShard,
  page_url: (uri, directory) => URL_MODES[directory].OCR.urls.pageUrl(uri),
};

test("every vector group has a function", () => {
  const groups = Object.keys(VECTORS).filter((k) => k !== "about" && k !== "sort_order");
  assert.deepEqual(groups.sort(), Object.keys(FUNCTIONS).sort());
});

for (const [name, fn] of Object.entries(FUNCTIONS)) {
  test(`vectors: ${name}`, () => {
    for (const c of VECTORS[name]) {
      assert.deepEqual(plain(fn(...c.slice(0, -1))), c[c.length - 1], `${name}(${JSON.stringify(c.slice(0, -1))})`);
    }
  });
}

test("vectors: sort order", () => {
  for (const order of VECTORS.sort_order) {
    assert.deepEqual([...order].reverse().sort(codes.compare), order);
  }
});

test("normalizeCode is bare, the name search.js uses", () => {
  assert.equal(codes.normalizeCode("e11.65"), "E1165");
});

test("system data comes from Python: folders, labels, ambiguous words", () => {
  assert.equal(codes.system("icd-10-cm").folder, "icd-10-cm");
  assert.equal(codes.system("hcpcs").label, "HCPCS Level II");
  assert.equal(codes.modifierFolder, "modifiers");
  assert.equal(codes.ambiguous("pt"), true);
  assert.equal(codes.ambiguous("XU"), false);
});

test("OCR.el builds elements with text, never HTML", () => {
  const node = win.OCR.el("p", { "class": "x", "data-a": 1, hidden: false }, ["<b>", win.OCR.el("span", "y", "z")]);
  assert.equal(node.tagName, "P");
  assert.equal(node.getAttribute("class"), "x");
  assert.equal(node.getAttribute("data-a"), "1");
  assert.equal(node.hasAttribute("hidden"), false);
  assert.equal(node.textContent, "<b>z");
  assert.equal(node.childNodes[1].className, "y");
});

function site(files) {
  const dir = mkdtempSync(join(tmpdir(), "ocr-site-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test("OCR.shards loads a shard file once, reports damaged and missing files, retries", async () => {
  const dir = site({
    "ask-data/manifest.js": '__askShard("manifest",{"format":1});\n',
    "ask-data/c/E11.js": '/* registers nothing */\n',
  });
  try {
    const w = loadScripts(CORE, { base: "file://" + dir + "/", siteDir: dir });
    const store = w.OCR.shards.create({ callback: "__askShard", base: w.OCR.urls.asset("ask-data/"), label: "ask data file" });
    const first = store.load("manifest");
    assert.equal(store.load("manifest"), first);
    assert.deepEqual(plain(await first), { format: 1 });
    assert.equal(store.has("manifest"), true);
    await assert.rejects(store.load("c/E11"), /ask data file c\/E11 is damaged/);
    await assert.rejects(store.load("c/Z99"), /did not load/);
    writeFileSync(join(dir, "ask-data", "c", "Z99.js"), '__askShard("c/Z99",[1]);\n');
    assert.deepEqual(plain(await store.load("c/Z99")), [1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("OCR.urls: folder URLs on the web site", () => {
  const w = loadScripts(CORE, { base: "https://codes.example/sub/", attrs: { "core/urls.js": { "data-urls": "directory" } } });
  const urls = w.OCR.urls;
  assert.equal(urls.site.href, "https://codes.example/sub/");
  assert.equal(urls.directoryUrls, true);
  assert.equal(urls.pageUrl("cpt/99213.md"), "cpt/99213/");
  assert.equal(urls.pageUrl("index.md"), "");
  assert.equal(urls.pageUrl("modifiers/index.md"), "modifiers/");
  assert.equal(urls.record("icd-10-cm", "E11.65"), "https://codes.example/sub/icd-10-cm/E11.65/");
  assert.equal(urls.page("index.md"), "https://codes.example/sub/");
});

test("OCR.urls: the offline bundle's index.html URLs from file://", () => {
  const w = loadScripts(CORE, { base: "file:///tmp/bundle/", attrs: { "core/urls.js": { "data-urls": "file" } } });
  const urls = w.OCR.urls;
  assert.equal(urls.offline, true);
  assert.equal(urls.pageUrl("cpt/99213.md"), "cpt/99213.html");
  assert.equal(urls.pageUrl("modifiers/index.md"), "modifiers/index.html");
  assert.equal(urls.page("index.md"), "file:///tmp/bundle/index.html");
  assert.equal(urls.record("modifiers", "25"), "file:///tmp/bundle/modifiers/25.html");
  assert.equal(urls.href("./"), "file:///tmp/bundle/index.html");
});

test("OCR.urls: a folder-URL site opened from file:// gets index.html", () => {
  const w = loadScripts(CORE, { base: "file:///tmp/site/", attrs: { "core/urls.js": { "data-urls": "directory" } } });
  assert.equal(w.OCR.urls.page("cpt/99213.md"), "file:///tmp/site/cpt/99213/index.html");
});

test("codes.js refuses to run without its data file", () => {
  assert.throws(() => loadScripts(["core/codes.js"]), /codes-data\.js must be loaded/);
});
