// A guest's allowance: one full page a month. Two records must both allow a new view:
//  - the signed meter cookie (./meter-cookie.mjs), which also lets the guest re-open the page
//    they unlocked without touching the store: the common case, and the only record a guest
//    who moves between networks carries along;
//  - the address ledger in the blob store (./ledger.mjs), one slot per client network a month,
//    named by a keyed hash of the address (./address.mjs). Clearing or refusing cookies does
//    not reset it, and a client that sends no cookie writes at most one entry a month.
// Without a usable address the guest gets teasers: failing closed costs a reader one view.
import { addressId } from "./address.mjs";
import { ledgerPrefix, meterPage } from "./ledger.mjs";
import { ALLOWANCE, current } from "./meter.mjs";

/** { unlocked, counted, remaining, pages } for a guest opening `page` in `month`. */
export async function guestView(page, cookie, { meters, secret, month, ip }) {
  const pages = cookie.ok ? current(cookie.state, month).pages : [];
  const left = Math.max(0, ALLOWANCE.guest - pages.length);
  if (pages.includes(page)) return { unlocked: true, counted: false, remaining: left, pages };
  const locked = { unlocked: false, counted: false, remaining: 0, pages };
  if (left === 0) return locked;
  const id = await addressId(ip, secret, month);
  if (id === null) return locked;
  const decision = await meterPage(meters, ledgerPrefix(month, "addresses", id), ALLOWANCE.guest, page);
  if (!decision.unlocked) return locked;
  const granted = [...new Set([...pages, page])];
  return { unlocked: true, counted: true, remaining: Math.max(0, ALLOWANCE.guest - granted.length), pages: granted };
}
