import assert from "node:assert/strict";
import { test } from "node:test";
import { bannerFor, renderBanner } from "../../netlify/lib/banner.mjs";
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

test("the banner goes at the top of the article and its text is escaped", () => {
  const out = insertBanner(page(), renderBanner({ kind: "open", text: "<b>&'\"" }));
  assert.match(out, /<article class="md-content__inner md-typeset">\n<div class="meter-banner meter-banner--open" role="status" data-meter-banner>&lt;b&gt;&amp;&#39;&quot;<\/div>/);
  assert.equal(insertBanner("<p>no article</p>", "<div>x</div>"), "<p>no article</p>");
});

test("banner texts say what the tier allows and what remains", () => {
  const guest = bannerFor("guest", { unlocked: false, remaining: 0 });
  assert.match(guest.text, /^Guest accounts are limited to 1 page view\. Register a free account to get 5 more views\. 0 code page views remaining\./);
  assert.equal(guest.kind, "locked");
  assert.match(bannerFor("registered", { unlocked: true, remaining: 1 }).text, /1 code page view remaining this month\.$/);
  assert.match(bannerFor("registered", { unlocked: true, remaining: 4 }).text, /4 code page views remaining this month/);
  assert.equal(bannerFor("subscriber", { unlocked: true, remaining: Infinity }).kind, "subscriber");
});
