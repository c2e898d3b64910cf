import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeText } from "../../netlify/lib/encoding.mjs";
import { PURPOSES, keyFor, sign } from "../../netlify/lib/keys.mjs";
import { ISSUER, MAX_LIFETIME, signToken, verifyToken } from "../../netlify/lib/jwt.mjs";
import { SECRET } from "./helpers.mjs";

const NOW = 1_800_000_000;
const claims = { sub: "user-1", role: "registered", iat: NOW - 10, exp: NOW + 3600 };

// A token with any header and payload, signed with the session key (or not at all).
async function forge(header, payload, { secret = SECRET, purpose = PURPOSES.session, signature } = {}) {
  const body = `${encodeText(JSON.stringify(header))}.${encodeText(JSON.stringify(payload))}`;
  const sig = signature ?? await sign(await keyFor(secret, purpose), body);
  return `${body}.${sig}`;
}

test("a token we signed verifies and gives back its claims", async () => {
  const result = await verifyToken(await signToken(claims, SECRET), SECRET, NOW);
  assert.equal(result.ok, true);
  assert.deepEqual(result.claims, { iss: ISSUER, ...claims });
});

test("a wrong signature is refused", async () => {
  const token = await signToken(claims, SECRET);
  const other = await signToken(claims, "another-secret-of-enough-length-0123456789");
  assert.equal((await verifyToken(token, "another-secret-of-enough-length-0123456789", NOW)).reason, "bad signature");
  const spliced = token.split(".").slice(0, 2).join(".") + "." + other.split(".")[2];
  assert.deepEqual(await verifyToken(spliced, SECRET, NOW), { ok: false, reason: "bad signature" });
  const flipped = token.slice(0, -3) + (token.at(-3) === "A" ? "B" : "A") + token.slice(-2);
  assert.equal((await verifyToken(flipped, SECRET, NOW)).ok, false);
});

test("changing a claim breaks the signature (a registered reader cannot make themself a subscriber)", async () => {
  const [h, , s] = (await signToken(claims, SECRET)).split(".");
  const elevated = `${h}.${encodeText(JSON.stringify({ iss: ISSUER, ...claims, role: "subscriber" }))}.${s}`;
  assert.deepEqual(await verifyToken(elevated, SECRET, NOW), { ok: false, reason: "bad signature" });
});

test("alg none is refused, with or without a signature", async () => {
  const payload = { iss: ISSUER, ...claims };
  for (const alg of ["none", "None", "NONE"]) {
    const unsigned = `${encodeText(JSON.stringify({ alg, typ: "JWT" }))}.${encodeText(JSON.stringify(payload))}.`;
    assert.equal((await verifyToken(unsigned, SECRET, NOW)).ok, false, alg);
    const signed = await forge({ alg, typ: "JWT" }, payload);
    assert.match((await verifyToken(signed, SECRET, NOW)).reason, /algorithm .* refused/, alg);
  }
});

test("every algorithm but HS256 is refused, even with a valid HMAC", async () => {
  for (const alg of ["HS384", "HS512", "RS256", "ES256", "PS256", "hs256", "HS256 ", "", null, 256, ["HS256"]]) {
    const token = await forge({ alg, typ: "JWT" }, { iss: ISSUER, ...claims });
    const result = await verifyToken(token, SECRET, NOW);
    assert.equal(result.ok, false, JSON.stringify(alg));
    assert.match(result.reason, /refused/);
  }
  assert.match((await verifyToken(await forge({ typ: "JWT" }, { iss: ISSUER, ...claims }), SECRET, NOW)).reason, /refused/);
});

test("a critical header we do not understand is refused", async () => {
  const token = await forge({ alg: "HS256", crit: ["exp"] }, { iss: ISSUER, ...claims });
  assert.equal((await verifyToken(token, SECRET, NOW)).ok, false);
});

test("an expired token is refused, one second after exp", async () => {
  const token = await signToken(claims, SECRET);
  assert.equal((await verifyToken(token, SECRET, claims.exp - 1)).ok, true);
  assert.deepEqual(await verifyToken(token, SECRET, claims.exp), { ok: false, reason: "expired" });
  assert.deepEqual(await verifyToken(token, SECRET, claims.exp + 1), { ok: false, reason: "expired" });
});

test("tokens without the claims we need are refused", async () => {
  const cases = {
    "missing sub": { ...claims, sub: undefined },
    "empty sub": { ...claims, sub: "" },
    "numeric sub": { ...claims, sub: 7 },
    "missing role": { ...claims, role: undefined },
    "unknown role": { ...claims, role: "admin" },
    "missing exp": { ...claims, exp: undefined },
    "string exp": { ...claims, exp: String(NOW + 3600) },
    "missing iat": { ...claims, iat: undefined },
    "future iat": { ...claims, iat: NOW + 3600, exp: NOW + 7200 },
  };
  for (const [name, payload] of Object.entries(cases)) {
    const token = await forge({ alg: "HS256", typ: "JWT" }, { iss: ISSUER, ...payload });
    assert.equal((await verifyToken(token, SECRET, NOW)).ok, false, name);
  }
  const noIssuer = await forge({ alg: "HS256" }, claims);
  assert.deepEqual(await verifyToken(noIssuer, SECRET, NOW), { ok: false, reason: "wrong issuer" });
});

test("a value signed with the meter key does not pass as a session", async () => {
  const token = await forge({ alg: "HS256", typ: "JWT" }, { iss: ISSUER, ...claims }, { purpose: PURPOSES.meter });
  assert.deepEqual(await verifyToken(token, SECRET, NOW), { ok: false, reason: "bad signature" });
});

test("malformed tokens of every length are refused without throwing", async () => {
  const samples = [undefined, null, 42, {}, "", ".", "..", "...", "a.b", "a.b.c.d", "a..c", "é.é.é",
    "eyJhbGciOiJIUzI1NiJ9.%%%.abc", "eyJhbGciOiJIUzI1NiJ9.W10.abc", "W10.W10.W10", "bnVsbA.bnVsbA.bnVsbA",
    "eyJhbGciOiJIUzI1NiJ9.eyJ.abc", "x".repeat(4097), "a.b.c".repeat(2000), "\u0000.\u0000.\u0000"];
  for (let n = 0; n <= 5000; n += 97) samples.push("A".repeat(n), `${"A".repeat(n)}.${"B".repeat(n)}.${"C".repeat(n)}`);
  for (let i = 0; i < 200; i++) {
    const bytes = crypto.getRandomValues(new Uint8Array(1 + (i * 37) % 600));
    samples.push(String.fromCharCode(...bytes.map((b) => 32 + (b % 95))));
  }
  for (const token of samples) {
    const result = await verifyToken(token, SECRET, NOW);
    assert.equal(result.ok, false, String(token).slice(0, 40));
  }
});

test("signing refuses incomplete claims and a short secret", async () => {
  await assert.rejects(signToken({ ...claims, role: "admin" }, SECRET), /refusing to sign/);
  await assert.rejects(signToken(claims, "short"), /SESSION_SECRET/);
  await assert.rejects(verifyToken(await signToken(claims, SECRET), "", NOW), /SESSION_SECRET/);
});

test("a token older than the maximum lifetime is refused even when its exp is far away", async () => {
  const old = { sub: "user-1", role: "subscriber", iat: NOW - MAX_LIFETIME - 1, exp: NOW + 10 * 365 * 86400 };
  // Signed with the session key (as a leaked key or an old deploy with a longer TTL could).
  const token = await forge({ alg: "HS256", typ: "JWT" }, { iss: ISSUER, ...old });
  assert.deepEqual(await verifyToken(token, SECRET, NOW), { ok: false, reason: "lifetime longer than allowed" });
  const longLived = await forge({ alg: "HS256", typ: "JWT" }, { iss: ISSUER, ...claims, exp: claims.iat + MAX_LIFETIME + 1 });
  assert.deepEqual(await verifyToken(longLived, SECRET, NOW), { ok: false, reason: "lifetime longer than allowed" });
  const atLimit = await signToken({ ...claims, iat: NOW - MAX_LIFETIME + 1, exp: NOW + 1 }, SECRET);
  assert.equal((await verifyToken(atLimit, SECRET, NOW)).ok, true);
  await assert.rejects(signToken({ ...claims, exp: claims.iat + MAX_LIFETIME + 1 }, SECRET), /lifetime longer than allowed/);
});
