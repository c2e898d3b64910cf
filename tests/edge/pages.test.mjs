import assert from "node:assert/strict";
import { test } from "node:test";
import { blobKey, canonicalPage, sectionsOf } from "../../netlify/lib/pages.mjs";

test("code page paths are canonical with or without index.html", () => {
  assert.equal(canonicalPage("/modifiers/53/"), "/modifiers/53/");
  assert.equal(canonicalPage("/modifiers/53/index.html"), "/modifiers/53/");
  assert.equal(canonicalPage("/icd-10-cm/E11.65/"), "/icd-10-cm/E11.65/");
  assert.equal(blobKey("/cpt/99202-99499/"), "members/cpt/99202-99499");
});

test("anything else is not a gated page", () => {
  for (const p of ["/", "/cpt/", "/modifiers/53", "/modifiers/../53/", "/modifiers/%2e%2e/", "/modifiers/.x/",
    "/modifiers//", "//modifiers/53/", `/${"a".repeat(400)}/b/`, "/a b/c/", null]) {
    assert.equal(canonicalPage(p), null, String(p));
  }
});

test("only blobs the build wrote count as member sections", () => {
  assert.deepEqual(sectionsOf({ v: 1, sections: ["<p>a</p>"] }), ["<p>a</p>"]);
  for (const bad of [null, "x", {}, { sections: "a" }, { sections: [1] }]) assert.equal(sectionsOf(bad), null);
});
