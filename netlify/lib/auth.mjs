// Log in, register, confirm and log out, as the auth function runs them. The identity provider
// (see identity.mjs) says who the user is; this module then mints our own session: an HS256 JWT
// in an HttpOnly, Secure, SameSite=Lax cookie, plus a readable hint cookie that only tells page
// scripts which header buttons to show.
import { expireCookie, parseCookies, serializeCookie } from "./cookies.mjs";
import { IdentityError } from "./identity.mjs";
import { MAX_LIFETIME, signToken, verifyToken } from "./jwt.mjs";
import { COOKIES, userKey } from "./reader.mjs";

export const SESSION_TTL = MAX_LIFETIME;
export const SUBSCRIBER_ROLE = "subscriber";
const MAX_BODY = 8192;
const SAFE_NEXT = /^\/(?![\/\\])[A-Za-z0-9._~\/-]*$/;

/** The Response for a request to /api/auth/<action>. */
export async function handleAuth(request, { provider, secret, meters, now = new Date(), ttl = SESSION_TTL }) {
  const action = new URL(request.url).pathname.replace(/^\/api\/auth\//, "");
  try {
    if (action === "confirm" && request.method === "GET") {
      const url = new URL(request.url);
      const token = url.searchParams.get("token") ?? "";
      if (!token || token.length > 512) return page(400, "This confirmation link is incomplete.", "/");
      const { user } = await provider.confirm(token);
      return await signedIn(user, "/", { secret, now, ttl });
    }
    if (request.method !== "POST") return page(405, "Use the forms in the site's header.", "/", { allow: "POST" });
    if (!sameOrigin(request)) return page(403, "This form was sent from another site and was refused.", "/");
    const form = await readForm(request);
    const next = SAFE_NEXT.test(form.get("next") ?? "") ? form.get("next") : "/";
    if (action === "logout") return await loggedOut(request, next, { secret, meters, now });
    const email = (form.get("email") ?? "").trim();
    const password = form.get("password") ?? "";
    if (!/^[^\s@]{1,64}@[^\s@]{1,189}$/.test(email) || password.length < 8 || password.length > 200) {
      return page(400, "Enter your email address and a password of at least 8 characters.", next);
    }
    if (action === "login") return await signedIn((await provider.login(email, password)).user, next, { secret, now, ttl });
    if (action === "register") {
      const result = await provider.register(email, password);
      if (result.pending) return page(200, "Check your email: follow the link we sent to confirm your account and log in.", next);
      return await signedIn(result.user, next, { secret, now, ttl });
    }
    return page(404, "No such account action.", "/");
  } catch (err) {
    if (err instanceof IdentityError) {
      const status = { invalid: 401, unconfirmed: 403, rejected: 400 }[err.code] ?? 503;
      return page(status, status === 503 ? "Accounts are unavailable right now; please try again later." : err.message, "/");
    }
    console.error(`auth ${action}: ${err}`);
    return page(503, "Accounts are unavailable right now; please try again later.", "/");
  }
}

export function roleOf(user) {
  return user.roles.includes(SUBSCRIBER_ROLE) ? "subscriber" : "registered";
}

async function signedIn(user, next, { secret, now, ttl }) {
  const iat = now.getTime() / 1000;
  const role = roleOf(user);
  const token = await signToken({ sub: user.id, role, iat, exp: Math.floor(iat) + ttl }, secret);
  return redirect(next, [
    serializeCookie(COOKIES.session, token, { maxAge: ttl }),
    serializeCookie(COOKIES.hint, role, { maxAge: ttl, httpOnly: false }),
  ]);
}

// Logging out ends every session of the account: tokens issued before this moment are refused
// by the edge from now on, even a copy taken from another browser.
async function loggedOut(request, next, { secret, meters, now }) {
  const token = parseCookies(request.headers.get("cookie")).get(COOKIES.session);
  const result = await verifyToken(token, secret, now.getTime() / 1000);
  if (result.ok) {
    const key = userKey(result.claims.sub);
    const record = (await meters.get(key, { type: "json" })) ?? {};
    await meters.setJSON(key, { ...record, loggedOutAt: now.getTime() });
  }
  return redirect(next, [expireCookie(COOKIES.session), expireCookie(COOKIES.hint, { httpOnly: false })]);
}

function sameOrigin(request) {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === new URL(request.url).origin;
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}

async function readForm(request) {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new IdentityError("rejected", "the form is too large");
  return new URLSearchParams(text);
}

function redirect(location, cookies) {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

function page(status, message, back, extra = {}) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
    + `<title>Account</title></head><body><main><p role="status">${escape(message)}</p>`
    + `<p><a href="${escape(back)}">Back to the site</a></p></main></body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...extra },
  });
}
