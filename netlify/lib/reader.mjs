// Who is reading: the tier from our session cookie, with every failure falling back to guest.
// A session is also refused when the account logged out after the token was issued, so that
// "log out" ends a copied token too, not only the cookie in this browser.
import { verifyToken } from "./jwt.mjs";

export const COOKIES = Object.freeze({ session: "ocr_session", meter: "ocr_meter", hint: "ocr_account" });

export function userKey(sub) {
  return `users/${encodeURIComponent(sub)}`;
}

/** { tier, sub?, record?, reason? }; `record` is the account's stored meter record, if any. */
export async function identify(cookies, secret, meters, now) {
  const token = cookies.get(COOKIES.session);
  if (token === undefined) return { tier: "guest" };
  const result = await verifyToken(token, secret, now.getTime() / 1000);
  if (!result.ok) return { tier: "guest", reason: result.reason };
  const { sub, role, iat } = result.claims;
  const record = (await meters.get(userKey(sub), { type: "json" })) ?? null;
  if (record && Number.isFinite(record.loggedOutAt) && iat * 1000 <= record.loggedOutAt) {
    return { tier: "guest", reason: "logged out" };
  }
  return { tier: role, sub, record };
}
