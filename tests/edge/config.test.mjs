// Edge function routes are not written by hand: netlify.toml declares none, the functions'
// own configs carry no paths (the build declares them in .netlify/v1/config.json, see
// generator/routes.py and tests/test_netlify_config.py), and the files stay thin.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { config as auth } from "../../netlify/functions/auth.mjs";
import { config as members } from "../../netlify/edge-functions/members.mjs";
import { config as shortlinks } from "../../netlify/edge-functions/shortlinks.mjs";

const toml = readFileSync(new URL("../../netlify.toml", import.meta.url), "utf8");

test("no edge route or redirect rule is declared by hand", () => {
  assert.doesNotMatch(toml, /^\s*\[\[edge_functions\]\]/m);
  assert.doesNotMatch(toml, /^\s*\[\[redirects\]\]/m);
  for (const config of [members, shortlinks]) {
    assert.equal(config.path, undefined);
    assert.equal(config.pattern, undefined);
    assert.equal(config.onError, "bypass");
  }
  assert.equal(members.method, "GET");
});

test("build command, publish directory and functions directory", () => {
  assert.match(toml, /command = "make site"/);
  assert.match(toml, /publish = "site"/);
  assert.match(toml, /\[functions\]\s*directory = "netlify\/functions"/);
  assert.equal(auth.path, "/api/auth/*");
});

test("edge and function files are plain modules without URL imports", () => {
  for (const file of ["members.mjs", "shortlinks.mjs"].map((f) => `../../netlify/edge-functions/${f}`)
    .concat("../../netlify/functions/auth.mjs")) {
    const source = readFileSync(new URL(file, import.meta.url), "utf8");
    assert.doesNotMatch(source, /from\s+["']https?:/);
    assert.ok(source.split("\n").length <= 40, `${file} stays small`);
  }
});
