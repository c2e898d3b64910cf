// The routes Netlify reads from netlify.toml and from the function's own config must agree, and
// the edge function file must stay a thin, URL-import-free module.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { config as auth } from "../../netlify/functions/auth.mjs";
import { config as members } from "../../netlify/edge-functions/members.mjs";

const toml = readFileSync(new URL("../../netlify.toml", import.meta.url), "utf8");

test("netlify.toml declares exactly the edge routes of the members function", () => {
  const declared = [...toml.matchAll(/\[\[edge_functions\]\]\s*function = "members"\s*path = "([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), [...members.path].sort());
  assert.equal(members.onError, "bypass");
});

test("build command, publish directory and functions directory", () => {
  assert.match(toml, /command = "make site"/);
  assert.match(toml, /publish = "site"/);
  assert.match(toml, /\[functions\]\s*directory = "netlify\/functions"/);
  assert.equal(auth.path, "/api/auth/*");
});

test("edge and function files are plain modules without URL imports", () => {
  for (const file of ["../../netlify/edge-functions/members.mjs", "../../netlify/functions/auth.mjs"]) {
    const source = readFileSync(new URL(file, import.meta.url), "utf8");
    assert.doesNotMatch(source, /from\s+["']https?:/);
    assert.ok(source.split("\n").length <= 40, `${file} stays small`);
  }
});
