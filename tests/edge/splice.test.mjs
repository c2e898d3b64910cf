import assert from "node:assert/strict";
import { test } from "node:test";
import { countTeasers, insertBanner, spliceSections } from "../../netlify/lib/splice.mjs";
import { page } from "./helpers.mjs";

test("each teaser is replaced by its own section, titles stay", () => {
  const out = spliceSections(page(), ["<p>TIPS</p>", "<p>PAYER</p>"]);
  assert.equal(countTeasers(out), 0);
  assert.match(out, /<h3 id="s0">Coding tips<\/h3>\n<div class="member-body"><p>TIPS<\/p><\/div>/);
  assert.match(out, /<h3 id="s1">Payer notes<\/h3>\n<div class="member-body"><p>PAYER<\/p><\/div>/);
  assert.ok(out.indexOf("TIPS") < out.indexOf("PAYER"));
});

test("a teaser without a stored body stays a teaser", () => {
  const out = spliceSections(page(), ["<p>TIPS</p>"]);
  assert.equal(countTeasers(out), 1);
  assert.ok(out.includes("TIPS"));
});

test("a teaser outside a member section, or text that looks like one, is not touched", () => {
  const html = `<article class="md-content__inner md-typeset"><p>&lt;section class=&quot;member-section&quot; data-member-section=&quot;1&quot;&gt;</p>
<p class="member-teaser">Register to view content</p>
<section class="member-section" data-member-section="1"><h3>T</h3></section>
<p class="member-teaser">Register to view content</p></article>`;
  assert.equal(spliceSections(html, ["<p>SECRET</p>"]), html);
});

test("the banner goes at the top of the article", () => {
  const out = insertBanner(page(), '<div class="meter-banner">x</div>');
  assert.match(out, /<article class="md-content__inner md-typeset">\n<div class="meter-banner">x<\/div>/);
  assert.equal(insertBanner("<p>no article</p>", "<div>x</div>"), "<p>no article</p>");
});
