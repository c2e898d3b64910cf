// Meter arithmetic: how many full code pages a reader may open in a calendar month (UTC).
// A guest has 1; a free account has 5 more (6 in all, the guest view counted); a subscriber has
// no limit. Re-opening a page already unlocked this month is free. Pure: state in, state out.

export const ALLOWANCE = Object.freeze({ guest: 1, registered: 6, subscriber: Infinity });
export const TIERS = Object.freeze(Object.keys(ALLOWANCE));
export const MAX_PAGES = 64; // no state we accept may list more pages than any allowance needs

/** "2026-11" for any moment in November 2026, UTC, so every edge node agrees on the month. */
export function monthOf(date) {
  return date.toISOString().slice(0, 7);
}

/** A state we wrote ourselves, or an empty one for `month` (other months start afresh). */
export function current(state, month) {
  if (!isState(state) || state.month !== month) return { month, pages: [] };
  return { month, pages: [...state.pages] };
}

export function isState(state) {
  return state !== null && typeof state === "object"
    && typeof state.month === "string" && /^\d{4}-\d{2}$/.test(state.month)
    && Array.isArray(state.pages) && state.pages.length <= MAX_PAGES
    && state.pages.every((p) => typeof p === "string" && p.length <= 300);
}

/**
 * The meter's answer for `page`: { unlocked, counted, remaining, state }. `state` is the new
 * state to store when `counted` is true; `remaining` counts views left after this one.
 */
export function view(state, page, tier, month) {
  const allowance = ALLOWANCE[tier];
  if (allowance === undefined) throw new Error(`unknown tier ${tier}`);
  const now = current(state, month);
  if (allowance === Infinity) return { unlocked: true, counted: false, remaining: Infinity, state: now };
  if (now.pages.includes(page)) {
    return { unlocked: true, counted: false, remaining: Math.max(0, allowance - now.pages.length), state: now };
  }
  if (now.pages.length < allowance) {
    const next = { month, pages: [...now.pages, page] };
    return { unlocked: true, counted: true, remaining: allowance - next.pages.length, state: next };
  }
  return { unlocked: false, counted: false, remaining: 0, state: now };
}
