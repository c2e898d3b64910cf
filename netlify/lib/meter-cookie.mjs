// The guest meter cookie: { g: guest id, n: sequence, m: month, p: pages } signed with the
// meter key. The signature makes it tamper-evident; the sequence number, also kept server-side
// per guest id, makes an older copy of the cookie (one with views left) worth nothing when it
// is sent again: the server's record, with the higher sequence, wins.
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

/**
 * Which state to trust for a guest: the server's record when it is at least as new as the
 * cookie (a lower sequence in the cookie means it was replayed), else the cookie's.
 */
export function reconcile(cookie, record) {
  const valid = record && Number.isSafeInteger(record.seq) && isState(record.state);
  if (valid && record.seq >= cookie.seq) {
    return { seq: record.seq, state: record.state, replayed: record.seq > cookie.seq };
  }
  return { seq: cookie.seq, state: cookie.state, replayed: false };
}
