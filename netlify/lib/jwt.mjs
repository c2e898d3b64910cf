// Our session token: a compact JWT signed with HS256 and nothing else (RFC 7519, RFC 7515).
// The algorithm is fixed by us, never read from the token: a header that says "none", "HS512",
// "RS256" or anything but exactly "HS256" is refused before the signature is even checked.
import { decodeJSONObject, encodeText } from "./encoding.mjs";
import { PURPOSES, keyFor, sign, verify } from "./keys.mjs";

export const ISSUER = "open-code-reference";
export const ROLES = Object.freeze(["registered", "subscriber"]);
export const MAX_TOKEN_LENGTH = 4096;
export const MAX_LIFETIME = 7 * 24 * 3600; // seconds: no session outlives this, whatever its exp says
const CLOCK_SKEW = 60; // seconds a token's iat may lie in the future (clocks of edge nodes differ)
const HEADER = encodeText(JSON.stringify({ alg: "HS256", typ: "JWT" }));
const PART = /^[A-Za-z0-9_-]+$/;

/** A signed token for `claims` (sub, role, iat, exp are required; see checkClaims). */
export async function signToken(claims, secret) {
  const problem = checkClaims(claims, claims.iat);
  if (problem) throw new Error(`refusing to sign a token: ${problem}`);
  const body = `${HEADER}.${encodeText(JSON.stringify({ iss: ISSUER, ...claims }))}`;
  return `${body}.${await sign(await keyFor(secret, PURPOSES.session), body)}`;
}

/**
 * { ok: true, claims } for a valid, unexpired token; otherwise { ok: false, reason }. Never throws
 * for anything a client can send: the caller treats every failure as "guest".
 */
export async function verifyToken(token, secret, now = Date.now() / 1000) {
  if (typeof token !== "string" || token.length === 0) return fail("missing");
  if (token.length > MAX_TOKEN_LENGTH) return fail("too long");
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => PART.test(p))) return fail("malformed");
  const header = decodeJSONObject(parts[0]);
  if (header === null) return fail("malformed header");
  if (header.alg !== "HS256") return fail(`algorithm ${JSON.stringify(header.alg)} refused`);
  if ("crit" in header) return fail("unsupported critical header");
  const key = await keyFor(secret, PURPOSES.session);
  if (!(await verify(key, `${parts[0]}.${parts[1]}`, parts[2]))) return fail("bad signature");
  const claims = decodeJSONObject(parts[1]);
  if (claims === null) return fail("malformed claims");
  if (claims.iss !== ISSUER) return fail("wrong issuer");
  const problem = checkClaims(claims, now);
  return problem ? fail(problem) : { ok: true, claims };
}

function checkClaims(claims, now) {
  const { sub, role, iat, exp } = claims;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 200) return "missing sub";
  if (!ROLES.includes(role)) return "missing or unknown role";
  if (!Number.isFinite(iat) || !Number.isFinite(exp)) return "missing iat or exp";
  if (exp <= now) return "expired";
  if (iat > now + CLOCK_SKEW) return "issued in the future";
  if (exp <= iat) return "expires before it was issued";
  if (exp - iat > MAX_LIFETIME) return "lifetime longer than allowed";
  if (now - iat > MAX_LIFETIME) return "older than the maximum lifetime";
  return null;
}

function fail(reason) {
  return { ok: false, reason };
}
