import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeText } from "../../netlify/lib/encoding.mjs";
import { signToken } from "../../netlify/lib/jwt.mjs";
import { decodeMeter, encodeMeter, newGuestId } from "../../netlify/lib/meter-cookie.mjs";
import { SECRET } from "./helpers.mjs";

const state = { month: "2026-11", pages: ["/modifiers/53/"] };

test("a meter cookie we wrote reads back", async () => {
  const guest = newGuestId();
  const cookie = await encodeMeter({ guest, seq: 3, state }, SECRET);
  assert.deepEqual(await decodeMeter(cookie, SECRET), { ok: true, guest, seq: 3, state });
});

test("a tampered meter cookie is refused", async () => {
  const cookie = await encodeMeter({ guest: newGuestId(), seq: 1, state }, SECRET);
  const [body, sig] = cookie.split(".");
  const emptied = encodeText(JSON.stringify({ ...JSON.parse(atob(body.replace(/-/g, "+").replace(/_/g, "/"))), p: [] }));
  assert.deepEqual(await decodeMeter(`${emptied}.${sig}`, SECRET), { ok: false, reason: "bad signature" });
  const flipped = (body[5] === "A" ? "B" : "A");
  assert.equal((await decodeMeter(`${body.slice(0, 5)}${flipped}${body.slice(6)}.${sig}`, SECRET)).ok, false);
  assert.equal((await decodeMeter(cookie, "a-different-secret-also-long-enough-000000")).ok, false);
});

test("a session token or a forged payload does not pass as a meter cookie", async () => {
  const token = await signToken({ sub: "u", role: "registered", iat: 1, exp: 3600 }, SECRET);
  assert.equal((await decodeMeter(token, SECRET)).ok, false);
  assert.equal((await decodeMeter(token.split(".").slice(1).join("."), SECRET)).ok, false);
});

test("malformed meter cookies of every length are refused without throwing", async () => {
  const samples = ["", ".", "..", "a.b", "a.b.c", "%%.%%", "x".repeat(2049), "é.é"];
  for (let n = 1; n < 3000; n += 61) samples.push("A".repeat(n), `${"A".repeat(n)}.${"B".repeat(43)}`);
  for (const s of samples) assert.equal((await decodeMeter(s, SECRET)).ok, false, s.slice(0, 20));
  assert.deepEqual(await decodeMeter(undefined, SECRET), { ok: false, reason: "missing" });
});
