import assert from "node:assert/strict";
import { test } from "node:test";
import { bannerFor, renderBanner, unavailableBanner } from "../../netlify/lib/banner.mjs";

test("banner texts say what the tier allows and what remains", () => {
  const guest = bannerFor("guest", { unlocked: false, remaining: 0 });
  assert.match(guest.text, /^Guest accounts are limited to 1 page view\. Register a free account to get 5 more views\. 0 code page views remaining\./);
  assert.equal(guest.kind, "locked");
  assert.match(bannerFor("registered", { unlocked: true, remaining: 1 }).text, /1 code page view remaining this month\.$/);
  assert.match(bannerFor("registered", { unlocked: true, remaining: 4 }).text, /4 code page views remaining this month/);
  assert.equal(bannerFor("subscriber", { unlocked: true, remaining: Infinity }).kind, "subscriber");
});

test("a guest's banner has the views left as a number and Register and Log in buttons with their forms", () => {
  const html = renderBanner(bannerFor("guest", { unlocked: false, remaining: 0 }), "/modifiers/53/");
  assert.match(html, /^<div class="meter-banner meter-banner--locked" role="region" aria-label="Page views" data-meter-banner>/);
  assert.match(html, /<strong class="meter-banner__count">0<\/strong> code page views remaining\./);
  const summaries = [...html.matchAll(/<summary class="([^"]+)">([^<]+)<\/summary>/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(summaries, [["md-button md-button--primary meter-banner__button", "Register free"],
    ["md-button meter-banner__button", "Log in"]]);
  for (const action of ["register", "login"]) {
    assert.match(html, new RegExp(`<form class="meter-banner__form account-form" method="post" action="/api/auth/${action}"><input type="hidden" name="next" value="/modifiers/53/">`));
  }
  assert.equal((html.match(/<label>/g) ?? []).length, 4, "every input has a label");
});

test("registered readers and subscribers get no account buttons; text and next are escaped", () => {
  const registered = renderBanner(bannerFor("registered", { unlocked: true, remaining: 3 }), "/x/");
  assert.match(registered, /<strong class="meter-banner__count">3<\/strong> code page views remaining this month\./);
  assert.doesNotMatch(registered, /<form/);
  assert.doesNotMatch(renderBanner(bannerFor("subscriber", { unlocked: true })), /<form|meter-banner__count/);
  assert.doesNotMatch(renderBanner(unavailableBanner()), /<form/);
  const hostile = renderBanner({ kind: "open\"><x", text: "<b>&'\"" }, "/\"><script>");
  assert.match(hostile, /meter-banner--open&quot;&gt;&lt;x/);
  assert.match(hostile, /&lt;b&gt;&amp;&#39;&quot;/);
  const guest = renderBanner(bannerFor("guest", { unlocked: true, remaining: 0 }), "/\"><script>");
  assert.doesNotMatch(guest, /<script>/);
});
