// HMAC-SHA256 keys for each purpose, derived from the one deploy secret. Separate keys mean a
// session token can never pass as a meter cookie or the other way round, even though both are
// signed with material from the same SESSION_SECRET.
import { decodeBytes, encodeBytes } from "./encoding.mjs";

export const MIN_SECRET_LENGTH = 32;
export const PURPOSES = Object.freeze({ session: "session-jwt-v1", meter: "guest-meter-v1", address: "guest-address-v1" });

const cache = new Map();

async function importKey(raw) {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false,
    ["sign", "verify"]);
}

/** The HMAC key for `purpose`; throws when the secret is missing or too short to be safe. */
export async function keyFor(secret, purpose) {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`SESSION_SECRET must be set to at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (!Object.values(PURPOSES).includes(purpose)) throw new Error(`unknown key purpose ${purpose}`);
  const id = `${purpose}\u0000${secret}`;
  if (!cache.has(id)) {
    cache.set(id, (async () => {
      const master = await importKey(new TextEncoder().encode(secret));
      const derived = await crypto.subtle.sign("HMAC", master, new TextEncoder().encode(purpose));
      return importKey(derived);
    })());
  }
  return cache.get(id);
}

/** A key for `purpose` and `label` (a month): HMAC of the label under the purpose's key. */
export async function subkeyFor(secret, purpose, label) {
  const id = `${purpose}\u0000${label}\u0000${secret}`;
  if (!cache.has(id)) {
    cache.set(id, (async () => {
      const derived = await crypto.subtle.sign("HMAC", await keyFor(secret, purpose), new TextEncoder().encode(label));
      return importKey(derived);
    })());
  }
  return cache.get(id);
}

export async function sign(key, text) {
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return encodeBytes(new Uint8Array(mac));
}

/** Whether `signature` (base64url) is the MAC of `text`; Web Crypto compares in constant time. */
export async function verify(key, text, signature) {
  const mac = decodeBytes(signature);
  if (mac === null || mac.length !== 32) return false;
  return crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(text));
}
