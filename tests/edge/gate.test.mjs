import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeText } from "../../netlify/lib/encoding.mjs";
import { gate } from "../../netlify/lib/gate.mjs";
import { ledgerPrefix } from "../../netlify/lib/ledger.mjs";
import { signToken } from "../../netlify/lib/jwt.mjs";
import { BrokenStore, MemoryStore, SECRET, context, page, plain, request, setCookies } from "./helpers.mjs";

const NOW = new Date("2026-11-15T12:00:00Z");
const PAGES = Object.fromEntries(["53", "52", "73", "74", "76", "77", "78", "79"].map((c) => [
  `members/modifiers/${c}`, { v: 1, sections: [`<p>SECRET-${c}-1</p>`, `<p>SECRET-${c}-2</p>`] }]));

function stores(extra = {}) {
  return { pages: new MemoryStore(PAGES), meters: new MemoryStore(), secret: SECRET, now: NOW, ...extra };
}

async function open(path, cookies, deps) {
  const response = await gate(request(path, cookies), context(), deps);
  return { response, html: await response.text(), cookies: setCookies(response) };
}

async function session(role, sub = "user-1", iat = NOW.getTime() / 1000 - 60) {
  return signToken({ sub, role, iat, exp: iat + 3600 }, SECRET);
}

test("a guest sees one page whole, then only teasers and '0 code page views remaining'", async () => {
  const deps = stores();
  const first = await open("/modifiers/53/", {}, deps);
  assert.ok(first.html.includes("SECRET-53-1") && first.html.includes("SECRET-53-2"));
  assert.match(plain(first.html), /0 code page views remaining/);
  const meter = first.cookies.ocr_meter;
  assert.ok(meter.attrs.includes("HttpOnly") && meter.attrs.includes("Secure") && meter.attrs.includes("SameSite=Lax"));

  const second = await open("/modifiers/52/", { ocr_meter: meter.value }, deps);
  assert.ok(!second.html.includes("SECRET-52"));
  assert.match(second.html, /Register to view content/);
  assert.match(plain(second.html), /Guest accounts are limited to 1 page view\. Register a free account to get 5 more views\. 0 code page views remaining/);

  const again = await open("/modifiers/53/index.html", { ocr_meter: meter.value }, deps);
  assert.ok(again.html.includes("SECRET-53-1"), "re-opening the unlocked page is free");
});

test("personalised pages are never cached and carry no ETag; the CDN's 304 cannot stand in", async () => {
  const ctx = context();
  const response = await gate(request("/modifiers/53/", {}, { "if-none-match": '"v1"' }), ctx, stores());
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "private, no-store");
  assert.equal(response.headers.get("etag"), null);
  assert.equal(ctx.calls[0].headers.get("if-none-match"), null);
});

test("pages without member sections pass through untouched and stay cacheable", async () => {
  for (const path of ["/modifiers/99/", "/cpt/", "/modifiers/53", "/assets/x.css"]) {
    const ctx = context();
    const response = await gate(request(path), ctx, stores());
    assert.equal(response.headers.get("etag"), '"v1"', path);
    assert.equal(response.headers.get("cache-control"), "public, max-age=0");
    assert.equal(ctx.calls[0], undefined, "next() called with the original request");
  }
  const post = await gate(new Request("https://codes.example/modifiers/53/", { method: "POST" }), context(), stores());
  assert.equal(post.headers.get("etag"), '"v1"');
});

test("a registered reader gets 5 more pages after the guest view, then is metered", async () => {
  const deps = stores();
  const guest = await open("/modifiers/53/", {}, deps);
  const token = await session("registered");
  const cookies = { ocr_session: token, ocr_meter: guest.cookies.ocr_meter.value };
  const merged = await open("/modifiers/52/", cookies, deps);
  assert.ok(merged.html.includes("SECRET-52-1"));
  assert.equal(merged.cookies.ocr_meter.value, "", "the guest meter is folded in and cleared");
  assert.match(plain(merged.html), /4 code page views remaining this month/);
  for (const c of ["73", "74", "76", "77"]) {
    const r = await open(`/modifiers/${c}/`, { ocr_session: token }, deps);
    assert.ok(r.html.includes(`SECRET-${c}-1`), c);
  }
  const over = await open("/modifiers/78/", { ocr_session: token }, deps);
  assert.ok(!over.html.includes("SECRET-78"));
  assert.match(plain(over.html), /0 code page views remaining this month/);
  const prefix = ledgerPrefix("2026-11", "users", "user-1");
  const stored = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => deps.meters.get(`${prefix}/${i}`, { type: "json" })));
  assert.deepEqual(stored.map((slot) => slot.page), ["/modifiers/53/", "/modifiers/52/", "/modifiers/73/", "/modifiers/74/", "/modifiers/76/", "/modifiers/77/"]);
  assert.equal(await deps.meters.get(`${prefix}/6`, { type: "json" }), null);
  const cleared = await open("/modifiers/79/", { ocr_session: token }, deps);
  assert.ok(!cleared.html.includes("SECRET-79"), "the meter is server-side: no cookie can reset it");
});

test("a subscriber is never metered", async () => {
  const deps = stores();
  const token = await session("subscriber", "sub-1");
  for (let i = 0; i < 3; i++) {
    for (const key of Object.keys(PAGES)) {
      const r = await open(`/${key.slice("members/".length)}/`, { ocr_session: token }, deps);
      assert.ok(r.html.includes("SECRET-"), key);
      assert.match(r.html, /Subscriber: unlimited/);
    }
  }
  assert.equal(deps.meters.writes, 0);
});

test("a forged, expired or alg-none session gets the guest experience, and its cookie is cleared", async () => {
  const deps = stores();
  const forged = (await session("subscriber")).replace(/\.[^.]+$/, ".AAAA");
  const expired = await signToken({ sub: "u", role: "subscriber", iat: 1, exp: 2 }, SECRET);
  const none = `${encodeText(JSON.stringify({ alg: "none" }))}.${encodeText(JSON.stringify({ iss: "open-code-reference", sub: "u", role: "subscriber", iat: 1, exp: 4e9 }))}.`;
  for (const token of [forged, expired, none]) {
    const used = await open("/modifiers/53/", {}, stores());
    const r = await open("/modifiers/52/", { ocr_session: token, ocr_meter: used.cookies.ocr_meter.value }, deps);
    assert.ok(!r.html.includes("SECRET-52"), token.slice(0, 20));
    assert.match(r.html, /Guest accounts are limited/);
    assert.equal(r.cookies.ocr_session.value, "");
  }
});

test("a replayed meter cookie gives no extra view: the address's slot is taken", async () => {
  const deps = stores();
  const first = await open("/modifiers/53/", {}, deps);
  const guest = JSON.parse(Buffer.from(first.cookies.ocr_meter.value.split(".")[0], "base64url")).g;
  // A copy of the same guest's cookie from before the view.
  const { encodeMeter } = await import("../../netlify/lib/meter-cookie.mjs");
  const older = await encodeMeter({ guest, seq: 0, state: { month: "2026-11", pages: [] } }, SECRET);
  const replay = await open("/modifiers/52/", { ocr_meter: older }, deps);
  assert.ok(!replay.html.includes("SECRET-52"));
  assert.match(plain(replay.html), /0 code page views remaining/);
  const [slot] = deps.meters.keys("slots/2026-11/addresses/");
  assert.equal(deps.meters.keys("slots/").length, 1, "one ledger entry, for the address");
  assert.equal((await deps.meters.get(slot, { type: "json" })).page, "/modifiers/53/");
});

test("a tampered meter cookie is worth no more than no cookie", async () => {
  const deps = stores();
  const first = await open("/modifiers/53/", {}, deps);
  const [body, sig] = first.cookies.ocr_meter.value.split(".");
  const payload = JSON.parse(Buffer.from(body, "base64url"));
  const tampered = `${encodeText(JSON.stringify({ ...payload, p: [] }))}.${sig}`;
  const r = await open("/modifiers/52/", { ocr_meter: tampered }, deps);
  assert.ok(!r.html.includes("SECRET-52"));
  assert.equal(r.cookies.ocr_meter, undefined, "no new cookie: no view was granted");
  const elsewhere = await gate(request("/modifiers/52/", { ocr_meter: tampered }), context(page(), { ip: "192.0.2.44" }), deps);
  const issued = JSON.parse(Buffer.from(setCookies(elsewhere).ocr_meter.value.split(".")[0], "base64url"));
  assert.notEqual(issued.g, payload.g, "from another address it is a new guest, exactly as without a cookie");
  assert.deepEqual(issued.p, ["/modifiers/52/"]);
});

test("a logged-out session is refused even if its cookie was copied", async () => {
  const deps = stores();
  const token = await session("subscriber", "sub-2");
  await deps.meters.setJSON("users/sub-2", { loggedOutAt: NOW.getTime() });
  const r = await open("/modifiers/53/", { ocr_session: token }, deps);
  assert.match(r.html, /Guest accounts are limited/);
});

test("malformed cookies of any length never crash the gate", async () => {
  const values = ["", "=", ";", "\"", "%", "é", "a.b.c", "..", "x".repeat(5000), "A.".repeat(3000)];
  for (let n = 1; n <= 20000; n = n * 3 + 1) values.push("A".repeat(n), `${"A".repeat(n)}.${"B".repeat(n)}`);
  for (const v of values) {
    const header = `ocr_session=${v}; ocr_meter=${v}; ocr_session=x`;
    const response = await gate(new Request("https://codes.example/modifiers/53/", { headers: { cookie: header } }), context(), stores());
    assert.equal(response.status, 200, v.slice(0, 20));
    const html = await response.text();
    assert.match(html, /Guest accounts are limited to 1 page view/);
  }
});

test("a failing meter store or a missing secret shows teasers, never a 500", async () => {
  for (const deps of [stores({ meters: new BrokenStore() }), stores({ secret: undefined }), stores({ secret: "short" })]) {
    const r = await open("/modifiers/53/", {}, deps);
    assert.equal(r.response.status, 200);
    assert.ok(!r.html.includes("SECRET-53"));
    assert.match(r.html, /unavailable right now/);
    assert.equal(r.response.headers.get("cache-control"), "private, no-store");
  }
  const ctx = context();
  const broken = await gate(request("/modifiers/53/"), ctx, stores({ pages: new BrokenStore() }));
  assert.ok(!(await broken.text()).includes("SECRET"));
});

test("error pages and non-HTML answers pass through unchanged", async () => {
  const missing = await gate(request("/modifiers/53/"), context("gone", { status: 404 }), stores());
  assert.equal(missing.status, 404);
  const json = await gate(request("/modifiers/53/"), context("{}", { type: "application/json" }), stores());
  assert.equal(await json.text(), "{}");
});

test("the month turns over for a guest: last month's view does not block this month", async () => {
  const deps = stores({ now: new Date("2026-10-31T23:59:00Z") });
  const october = await open("/modifiers/53/", {}, deps);
  const november = await open("/modifiers/52/", { ocr_meter: october.cookies.ocr_meter.value }, { ...deps, now: new Date("2026-11-01T00:01:00Z") });
  assert.ok(november.html.includes("SECRET-52-1"));
});

test("the page shown matches the page asked for: sections come from that page's blob only", async () => {
  const r = await open("/modifiers/52/", {}, stores());
  assert.ok(r.html.includes("SECRET-52-1") && !r.html.includes("SECRET-53"));
});

test("a page whose teasers do not match its blob charges no view", async () => {
  const deps = stores();
  const drifted = page(["Only one section"]);
  const response = await gate(request("/modifiers/53/"), context(drifted), deps);
  const html = await response.text();
  assert.ok(!html.includes("SECRET-53"));
  assert.match(html, /unavailable right now/);
  assert.equal(deps.meters.writes, 0);
  assert.deepEqual(response.headers.getSetCookie(), []);
});

class HangingStore {
  get() { return new Promise(() => {}); }
  setJSON() { return new Promise(() => {}); }
}

test("a blob store that does not answer fails closed within the deadline, not after 25 s", async () => {
  const started = Date.now();
  const slowPages = await gate(request("/modifiers/53/"), context(), stores({ pages: new HangingStore(), blobTimeout: 200 }));
  const html = await slowPages.text();
  assert.match(html, /Register to view content/);
  assert.ok(!html.includes("SECRET-53"));
  const slowMeters = await gate(request("/modifiers/53/"), context(), stores({ meters: new HangingStore(), meterTimeout: 200 }));
  const body = await slowMeters.text();
  assert.ok(!body.includes("SECRET-53"));
  assert.match(body, /Members-only sections are unavailable right now/);
  assert.deepEqual(setCookies(slowMeters), {});
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test("a path below a gated page is not a page: no store call at all", async () => {
  const ctx = context();
  const response = await gate(request("/modifiers/53/x/"), ctx, stores({ pages: new HangingStore() }));
  assert.equal(response.headers.get("etag"), '"v1"');
});
