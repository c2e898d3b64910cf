// The guest ledger's name for a client address: a keyed hash (HMAC-SHA256) of the address under
// a key derived from SESSION_SECRET and the month, so the ledger never holds an address, a
// hash cannot be reversed by trying all 2^32 IPv4 addresses without the secret, and this
// month's names cannot be linked to last month's. IPv6 clients are named by their /64 prefix:
// one home or phone gets a whole /64, and a scraper must not get a view per address in it.
import { PURPOSES, sign, subkeyFor } from "./keys.mjs";

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** "203.0.113.7", "2001:db8:1:2::/64", or null for anything that is not an address. */
export function clientNetwork(ip) {
  if (typeof ip !== "string" || ip.length > 64) return null;
  let text = ip.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) text = mapped[1];
  const v4 = IPV4.exec(text);
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255) ? v4.slice(1).map(Number).join(".") : null;
  const groups = expandIPv6(text);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : null;
}

function expandIPv6(text) {
  if (!/^[0-9a-f:]+$/.test(text) || text.split("::").length > 2) return null;
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array(tail === null ? 0 : missing).fill("0"), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ""));
}

/** The ledger id for `ip` in `month` ("2026-11"), or null when there is no usable address. */
export async function addressId(ip, secret, month) {
  const network = clientNetwork(ip);
  if (network === null) return null;
  return sign(await subkeyFor(secret, PURPOSES.address, month), network);
}
