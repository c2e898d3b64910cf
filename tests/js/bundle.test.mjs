// The site's one script, assets/javascripts/ocr.js (generator/bundle.py), run as pages run it:
// one classic script that defines the whole core, search and ask box, and finds the site root
// and URL mode from its own tag, at any depth, on the web and from file://.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { loadScripts, ROOT } from "./load.mjs";

// Every build writes the bundle into the site; here the same code writes it into a scratch
// folder (`make test-fast` passes its Python as OCR_PYTHON).
const PYTHON = process.env.OCR_PYTHON || join(ROOT, ".venv", "bin", "python");
const BUILT = mkdtempSync(join(tmpdir(), "ocr-bundle-"));
const run = existsSync(PYTHON) ? spawnSync(PYTHON, ["-m", "generator.bundle", "--output",
  join(BUILT, "ocr.js")], { cwd: ROOT, encoding: "utf-8" }) : null;

function bundle(base, mode) {
  assert.ok(run && run.status === 0,
            `could not write the bundle with ${PYTHON} (set OCR_PYTHON): ${run && run.stderr}`);
  return loadScripts(["ocr.js"], { base, assets: BUILT, attrs: { "ocr.js": { "data-urls": mode } } });
}

test("the bundle defines the core, search and the ask box", () => {
  const OCR = bundle("http://site.test/", "directory").OCR;
  for (const name of ["codesData", "codes", "el", "shards", "urls", "searchIndex", "searchQuery",
                      "searchEngine", "searchUI", "search", "ask"]) {
    assert.ok(OCR[name], `OCR.${name} is missing`);
  }
  assert.equal(typeof OCR.ask.answer, "function");
  assert.equal(OCR.codes.normalize("e11.65"), OCR.codes.normalize("E11.65"));
});

test("the site root and URL mode come from the bundle's own tag", () => {
  const web = bundle("https://codes.example/sub/", "directory").OCR.urls;
  assert.equal(web.site.href, "https://codes.example/sub/");
  assert.equal(web.record("icd-10-cm", "E11.65"), "https://codes.example/sub/icd-10-cm/E11.65/");
  const offline = bundle("file:///tmp/bundle/", "file").OCR.urls;
  assert.equal(offline.offline, true);
  assert.equal(offline.record("icd-10-cm", "E11.65"), "file:///tmp/bundle/icd-10-cm/E11.65.html");
  assert.equal(offline.page("ask.md"), "file:///tmp/bundle/ask.html");
});
