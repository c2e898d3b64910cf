import assert from "node:assert/strict";
import { test } from "node:test";
import { gate } from "../../netlify/lib/gate.mjs";
import { ledgerPrefix, meterPage } from "../../netlify/lib/ledger.mjs";
import { signToken } from "../../netlify/lib/jwt.mjs";
import { MemoryStore, SECRET, context, plain, request } from "./helpers.mjs";

const P = ledgerPrefix("2026-11", "users", "u/1");

test("slots are filed by month, then by reader, with the reader's id escaped", () => {
  assert.equal(P, "slots/2026-11/users/u%2F1");
  assert.equal(ledgerPrefix("2026-11", "guests", "abc"), "slots/2026-11/guests/abc");
});

test("each new page takes the next slot; a page already held is free; a full ledger refuses", async () => {
  const store = new MemoryStore();
  const first = await meterPage(store, P, 2, "/a/1/");
  assert.deepEqual(first, { unlocked: true, counted: true, remaining: 1, pages: ["/a/1/"] });
  assert.deepEqual(await meterPage(store, P, 2, "/a/1/"), { unlocked: true, counted: false, remaining: 1, pages: ["/a/1/"] });
  assert.equal((await meterPage(store, P, 2, "/a/2/")).counted, true);
  assert.deepEqual(await meterPage(store, P, 2, "/a/3/"), { unlocked: false, counted: false, remaining: 0, pages: ["/a/1/", "/a/2/"] });
  assert.deepEqual(store.keys(P), [`${P}/0`, `${P}/1`]);
});

test("carried pages take their slots first and count once", async () => {
  const store = new MemoryStore();
  const d = await meterPage(store, P, 2, "/a/2/", ["/a/1/"]);
  assert.deepEqual(d.pages, ["/a/1/", "/a/2/"]);
  assert.equal((await meterPage(store, P, 2, "/a/1/", ["/a/1/"])).counted, false);
  assert.equal((await meterPage(store, P, 2, "/a/3/", ["/a/1/"])).unlocked, false);
});

test("a slot holding something we did not write is taken, not a page", async () => {
  const store = new MemoryStore({ [`${P}/0`]: "junk", [`${P}/1`]: { page: 7 } });
  assert.deepEqual(await meterPage(store, P, 2, "/a/1/"), { unlocked: false, counted: false, remaining: 0, pages: [] });
});

// @netlify/blobs 10 reports a 500 (or any status but 412) to a conditional write as
// `{ modified: true }`: a view is granted only when the slot reads back with our own mark.
class LosingStore extends MemoryStore {
  async setJSON() { return { modified: true, etag: "" }; }
}

test("a conditional write the store did not keep unlocks nothing", async () => {
  await assert.rejects(meterPage(new LosingStore(), P, 6, "/a/1/"), /was not written/);
  const iat = Date.parse("2026-11-15T11:00:00Z") / 1000;
  const token = await signToken({ sub: "u", role: "registered", iat, exp: iat + 7200 }, SECRET);
  const pages = new MemoryStore({ "members/modifiers/53": { v: 1, sections: ["<p>SECRET-1</p>", "<p>SECRET-2</p>"] } });
  for (const cookies of [{}, { ocr_session: token }]) {
    const response = await gate(request("/modifiers/53/", cookies), context(),
      { pages, meters: new LosingStore(), secret: SECRET, now: new Date("2026-11-15T12:00:00Z") });
    const html = await response.text();
    assert.ok(!html.includes("SECRET-"));
    assert.match(html, /unavailable right now/);
  }
});

test("an account record from before the ledger keeps this month's pages counted", async () => {
  const earlier = ["/1/", "/2/", "/3/", "/4/", "/5/", "/6/"];
  assert.equal((await meterPage(new MemoryStore(), P, 6, "/7/", earlier)).unlocked, false);
  // Through the gate, which reads the old record "users/<id>" and carries its pages in.
  const meters = new MemoryStore({ "users/old": { state: { month: "2026-11", pages: earlier } } });
  const iat = Date.parse("2026-11-15T11:00:00Z") / 1000;
  const token = await signToken({ sub: "old", role: "registered", iat, exp: iat + 7200 }, SECRET);
  const pages = new MemoryStore({ "members/modifiers/53": { v: 1, sections: ["<p>SECRET-1</p>", "<p>SECRET-2</p>"] } });
  const response = await gate(request("/modifiers/53/", { ocr_session: token }), context(),
    { pages, meters, secret: SECRET, now: new Date("2026-11-15T12:00:00Z") });
  const html = await response.text();
  assert.ok(!html.includes("SECRET-"));
  assert.match(plain(html), /0 code page views remaining this month/);
  assert.equal(meters.keys(ledgerPrefix("2026-11", "users", "old")).length, 6);
});
