// The meter banner shown on gated pages: what the reader's tier allows and what remains.

const GUEST = "Guest accounts are limited to 1 page view. Register a free account to get 5 more views.";
const REGISTERED = "Free accounts are limited to 6 code page views a month. Subscribe for unlimited views.";

function views(n) {
  return `${n} code page view${n === 1 ? "" : "s"} remaining`;
}

/** { text, kind } for the banner; `kind` becomes a CSS modifier. */
export function bannerFor(tier, decision) {
  if (tier === "subscriber") return { kind: "subscriber", text: "Subscriber: unlimited code page views." };
  const lead = tier === "guest" ? GUEST : REGISTERED;
  const when = tier === "guest" ? "" : " this month";
  const locked = decision.unlocked ? "" : " The members-only sections of this page are hidden.";
  return { kind: decision.unlocked ? "open" : "locked", text: `${lead} ${views(decision.remaining)}${when}.${locked}` };
}

export function unavailableBanner() {
  return { kind: "locked", text: "Members-only sections are unavailable right now; please try again later." };
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function renderBanner({ kind, text }) {
  const safe = String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  return `<div class="meter-banner meter-banner--${kind}" role="status" data-meter-banner>${safe}</div>`;
}
