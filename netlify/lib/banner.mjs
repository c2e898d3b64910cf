// The meter banner shown on gated pages: what the reader's tier allows, how many views are left,
// and for guests Register and Log in buttons that open their forms in the banner itself (a
// <details> each: they work without JavaScript, and a closed one is one focusable button).
//
// Classes, for codes.css: .meter-banner (+ --open, --locked, --subscriber), .meter-banner__text,
// .meter-banner__count (the number of views left), .meter-banner__actions, .meter-banner__menu
// (<details>), .meter-banner__button (the <summary>; also Material's .md-button, and
// .md-button--primary on Register), .meter-banner__form.

const GUEST = "Guest accounts are limited to 1 page view. Register a free account to get 5 more views.";
const REGISTERED = "Free accounts are limited to 6 code page views a month. Subscribe for unlimited views.";

function views(n) {
  return [n, ` code page view${n === 1 ? "" : "s"} remaining`];
}

/** { kind, text, lead, count, tail, actions } for the banner; `kind` becomes a CSS modifier. */
export function bannerFor(tier, decision) {
  if (tier === "subscriber") return { kind: "subscriber", text: "Subscriber: unlimited code page views." };
  const lead = tier === "guest" ? GUEST : REGISTERED;
  const when = tier === "guest" ? "" : " this month";
  const locked = decision.unlocked ? "" : " The members-only sections of this page are hidden.";
  const [count, noun] = views(decision.remaining);
  const tail = `${noun}${when}.${locked}`;
  return { kind: decision.unlocked ? "open" : "locked", text: `${lead} ${count}${tail}`, lead, count, tail,
    actions: tier === "guest" };
}

export function unavailableBanner() {
  return { kind: "locked", text: "Members-only sections are unavailable right now; please try again later." };
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

function menu(action, label, submit, primary, next) {
  const password = action === "register" ? "new-password" : "current-password";
  return `<details class="meter-banner__menu"><summary class="md-button${primary ? " md-button--primary" : ""} meter-banner__button">${label}</summary>`
    + `<form class="meter-banner__form account-form" method="post" action="/api/auth/${action}">`
    + `<input type="hidden" name="next" value="${escape(next)}">`
    + `<label>Email <input type="email" name="email" autocomplete="username" required></label>`
    + `<label>Password <input type="password" name="password" autocomplete="${password}" minlength="8" required></label>`
    + `<button class="md-button md-button--primary" type="submit">${submit}</button></form></details>`;
}

/** The banner's HTML; `next` is the page to come back to after Register or Log in. */
export function renderBanner({ kind, text, lead, count, tail, actions }, next = "/") {
  const words = count === undefined ? escape(text)
    : `${escape(lead)} <strong class="meter-banner__count">${escape(count)}</strong>${escape(tail)}`;
  const buttons = actions
    ? `<div class="meter-banner__actions">${menu("register", "Register free", "Register free", true, next)}${menu("login", "Log in", "Log in", false, next)}</div>`
    : "";
  return `<div class="meter-banner meter-banner--${escape(kind)}" role="region" aria-label="Page views" data-meter-banner>`
    + `<p class="meter-banner__text">${words}</p>${buttons}</div>`;
}
