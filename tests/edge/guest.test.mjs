// The guest allowance against a scraper: a client that sends no cookie (or clears them) gets one
// full page a month per address, then teasers, and leaves one ledger entry a month, not one per
// request. Run through the gate, as the edge function runs it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gate } from "../../netlify/lib/gate.mjs";
import { MemoryStore, SECRET, context, page, request, setCookies } from "./helpers.mjs";

const NOW = new Date("2026-11-15T12:00:00Z");
const CODES = Array.from({ length: 40 }, (_, i) => String(10 + i));
const PAGES = Object.fromEntries(CODES.map((c) => [`members/modifiers/${c}`, { v: 1, sections: [`<p>SECRET-${c}-1</p>`, `<p>SECRET-${c}-2</p>`] }]));

function deps(extra = {}) {
  return { pages: new MemoryStore(PAGES), meters: new MemoryStore(), secret: SECRET, now: NOW, ...extra };
}

async function fetchAs(path, { ip = "198.51.100.7", cookies = {}, ua, store, now = NOW } = {}) {
  const headers = ua ? { "user-agent": ua } : {};
  const response = await gate(request(path, cookies, headers), context(page(), { ip }), { ...store, now });
  const html = await response.text();
  return { html, unlocked: /SECRET-/.test(html), cookies: setCookies(response) };
}

test("a cookieless scraper gets one page a month per address, then teasers", async () => {
  const store = deps();
  const results = [];
  for (const c of CODES) results.push(await fetchAs(`/modifiers/${c}/`, { store }));
  assert.deepEqual(results.map((r) => r.unlocked), CODES.map((_, i) => i === 0));
  for (const r of results.slice(1)) assert.match(r.html, /Register to view content/);
  assert.equal(store.meters.keys().length, 1, "one ledger entry for the address, not one per request");
  assert.ok(!store.meters.keys()[0].includes("198.51.100.7"), "the ledger never holds the address");

  // The same address next month has a view again; another address has its own.
  assert.ok((await fetchAs("/modifiers/11/", { store, now: new Date("2026-12-01T00:00:01Z") })).unlocked);
  assert.ok((await fetchAs("/modifiers/12/", { store, ip: "198.51.100.8" })).unlocked);
  assert.ok(!(await fetchAs("/modifiers/13/", { store, ip: "198.51.100.8" })).unlocked);
});

test("clearing cookies, or sending a fresh guest's cookie, does not reset the allowance", async () => {
  const store = deps();
  const first = await fetchAs("/modifiers/10/", { store });
  assert.ok(first.unlocked);
  // The cookie re-opens the page it unlocked; without it the address ledger still does.
  assert.ok((await fetchAs("/modifiers/10/", { store, cookies: { ocr_meter: first.cookies.ocr_meter.value } })).unlocked);
  assert.ok((await fetchAs("/modifiers/10/", { store })).unlocked);
  const other = await fetchAs("/modifiers/10/", { store, ip: "192.0.2.9" });
  for (const cookies of [{}, { ocr_meter: other.cookies.ocr_meter.value }, { ocr_meter: "garbage" }]) {
    assert.ok(!(await fetchAs("/modifiers/11/", { store, cookies })).unlocked);
  }
});

test("a guest who spent the view keeps no view by moving to another address", async () => {
  const store = deps();
  const first = await fetchAs("/modifiers/10/", { store });
  const cookies = { ocr_meter: first.cookies.ocr_meter.value };
  assert.ok(!(await fetchAs("/modifiers/11/", { store, cookies, ip: "192.0.2.10" })).unlocked);
  assert.ok((await fetchAs("/modifiers/10/", { store, cookies, ip: "192.0.2.10" })).unlocked, "its own page stays open");
});

test("all addresses of one IPv6 /64 share one allowance; IPv4-mapped addresses are IPv4", async () => {
  const store = deps();
  assert.ok((await fetchAs("/modifiers/10/", { store, ip: "2001:db8:5:6::1" })).unlocked);
  for (let i = 2; i < 12; i++) assert.ok(!(await fetchAs(`/modifiers/${i + 10}/`, { store, ip: `2001:db8:5:6::${i.toString(16)}` })).unlocked);
  assert.ok((await fetchAs("/modifiers/30/", { store, ip: "2001:db8:5:7::1" })).unlocked, "the next /64 is another network");
  assert.ok((await fetchAs("/modifiers/31/", { store, ip: "::ffff:198.51.100.20" })).unlocked);
  assert.ok(!(await fetchAs("/modifiers/32/", { store, ip: "198.51.100.20" })).unlocked);
});

test("without a usable client address a guest gets teasers and nothing is written", async () => {
  for (const ip of [null, "", "unknown", "300.1.1.1", "1.2.3", "::g", "1:2:3:4:5:6:7:8:9"]) {
    const store = deps();
    const r = await fetchAs("/modifiers/10/", { store, ip });
    assert.ok(!r.unlocked, String(ip));
    assert.equal(store.meters.keys().length, 0);
  }
});

test("declared crawlers get the static page with teasers and never touch the ledger", async () => {
  const store = deps();
  for (const ua of ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0)", "facebookexternalhit/1.1", "Scrapy/2.11 (+https://scrapy.org)"]) {
    const r = await fetchAs("/modifiers/10/", { store, ua });
    assert.ok(!r.unlocked, ua);
    assert.match(r.html, /Register to view content/);
    assert.deepEqual(r.cookies, {});
  }
  assert.equal(store.meters.keys().length, 0);
  assert.ok((await fetchAs("/modifiers/10/", { store, ua: "curl/8.5.0" })).unlocked, "an undeclared tool is a guest");
  assert.ok(!(await fetchAs("/modifiers/11/", { store, ua: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0" })).unlocked);
});
