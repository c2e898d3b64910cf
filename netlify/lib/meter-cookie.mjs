// The guest meter cookie: { g: guest id, n: pages unlocked, m: month, p: pages } signed with the
// meter key. The signature makes it tamper-evident; the guest id names the guest's ledger in the
// blob store (./ledger.mjs), which is what decides: an older copy of the cookie, one with views
// left, is worth nothing when it is sent again, since the ledger's slots are already taken.
import { decodeJSONObject, encodeBytes, encodeText } from "./encoding.mjs";
import { PURPOSES, keyFor, sign, verify } from "./keys.mjs";
import { isState } from "./meter.mjs";

export const MAX_COOKIE_LENGTH = 2048;
const GUEST_ID = /^[A-Za-z0-9_-]{22}$/;

export function newGuestId() {
  return encodeBytes(crypto.getRandomValues(new Uint8Array(16)));
}

export async function encodeMeter({ guest, seq, state }, secret) {
  const body = encodeText(JSON.stringify({ g: guest, n: seq, m: state.month, p: state.pages }));
  return `${body}.${await sign(await keyFor(secret, PURPOSES.meter), body)}`;
}

/** { ok: true, guest, seq, state } for a cookie we signed; { ok: false, reason } otherwise. */
export async function decodeMeter(cookie, secret) {
  if (typeof cookie !== "string" || cookie.length === 0) return { ok: false, reason: "missing" };
  if (cookie.length > MAX_COOKIE_LENGTH) return { ok: false, reason: "too long" };
  const parts = cookie.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  if (!(await verify(await keyFor(secret, PURPOSES.meter), parts[0], parts[1]))) {
    return { ok: false, reason: "bad signature" };
  }
  const data = decodeJSONObject(parts[0]);
  const state = data && { month: data.m, pages: data.p };
  if (!data || !GUEST_ID.test(data.g) || !Number.isSafeInteger(data.n) || data.n < 0 || !isState(state)) {
    return { ok: false, reason: "malformed payload" };
  }
  return { ok: true, guest: data.g, seq: data.n, state };
}
