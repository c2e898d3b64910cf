import assert from "node:assert/strict";
import { test } from "node:test";
import { handleAuth } from "../../netlify/lib/auth.mjs";
import { gate } from "../../netlify/lib/gate.mjs";
import { IdentityError } from "../../netlify/lib/identity.mjs";
import { verifyToken } from "../../netlify/lib/jwt.mjs";
import { MemoryStore, SECRET, context, setCookies } from "./helpers.mjs";

const NOW = new Date("2026-11-15T12:00:00Z");
const ORIGIN = "https://codes.example";

function provider(users = { "reader@example.org": { id: "u1", email: "reader@example.org", roles: [] },
  "paid@example.org": { id: "u2", email: "paid@example.org", roles: ["subscriber"] } }) {
  return {
    async login(email, password) {
      if (!users[email] || password !== "correct horse") throw new IdentityError("invalid", "wrong email or password");
      return { user: users[email] };
    },
    async register(email) {
      if (users[email]) throw new IdentityError("rejected", "A user with this email address has already been registered");
      return { pending: true };
    },
    async confirm(token) {
      if (token !== "good-token") throw new IdentityError("invalid", "this confirmation link is invalid");
      return { user: users["reader@example.org"] };
    },
    async logout() {},
  };
}

function post(action, fields, headers = { origin: ORIGIN }) {
  return new Request(`${ORIGIN}/api/auth/${action}`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const deps = (extra = {}) => ({ provider: provider(), secret: SECRET, meters: new MemoryStore(), now: NOW, ...extra });

test("logging in sets an HttpOnly, Secure, SameSite=Lax session with an expiry, and a readable hint", async () => {
  const response = await handleAuth(post("login", { email: "reader@example.org", password: "correct horse", next: "/modifiers/53/" }), deps());
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/modifiers/53/");
  const cookies = setCookies(response);
  for (const attr of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=604800"]) assert.ok(cookies.ocr_session.attrs.includes(attr), attr);
  assert.ok(!cookies.ocr_account.attrs.includes("HttpOnly"));
  assert.equal(cookies.ocr_account.value, "registered");
  const result = await verifyToken(cookies.ocr_session.value, SECRET, NOW.getTime() / 1000);
  assert.equal(result.claims.sub, "u1");
  assert.equal(result.claims.role, "registered");
  assert.equal(result.claims.exp, Math.floor(NOW.getTime() / 1000) + 604800);
});

test("the subscriber role comes from the identity provider", async () => {
  const response = await handleAuth(post("login", { email: "paid@example.org", password: "correct horse" }), deps());
  const result = await verifyToken(setCookies(response).ocr_session.value, SECRET, NOW.getTime() / 1000);
  assert.equal(result.claims.role, "subscriber");
});

test("wrong credentials, bad input and provider refusals set no cookie", async () => {
  const cases = [
    [post("login", { email: "reader@example.org", password: "wrong password" }), 401],
    [post("login", { email: "not-an-email", password: "correct horse" }), 400],
    [post("login", { email: "reader@example.org", password: "short" }), 400],
    [post("register", { email: "reader@example.org", password: "correct horse" }), 400],
    [post("nonsense", { email: "reader@example.org", password: "correct horse" }), 404],
    [new Request(`${ORIGIN}/api/auth/login`), 405],
    [new Request(`${ORIGIN}/api/auth/confirm?token=bad`), 401],
  ];
  for (const [request, status] of cases) {
    const response = await handleAuth(request, deps());
    assert.equal(response.status, status, request.url);
    assert.deepEqual(response.headers.getSetCookie(), []);
    assert.equal(response.headers.get("cache-control"), "no-store");
  }
});

test("registering asks for the confirmation email; the link then logs in", async () => {
  const pending = await handleAuth(post("register", { email: "new@example.org", password: "correct horse" }), deps());
  assert.equal(pending.status, 200);
  assert.match(await pending.text(), /Check your email/);
  const confirmed = await handleAuth(new Request(`${ORIGIN}/api/auth/confirm?token=good-token`), deps());
  assert.equal(confirmed.status, 303);
  assert.ok(setCookies(confirmed).ocr_session.value.length > 20);
});

test("forms posted from another site are refused (login CSRF)", async () => {
  for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }]) {
    const response = await handleAuth(post("login", { email: "reader@example.org", password: "correct horse" }, headers), deps());
    assert.equal(response.status, 403, JSON.stringify(headers));
    assert.deepEqual(response.headers.getSetCookie(), []);
  }
});

test("the return address is a path on this site, never another site", async () => {
  for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/a b", "/ok/"]) {
    const response = await handleAuth(post("login", { email: "reader@example.org", password: "correct horse", next }), deps());
    assert.equal(response.headers.get("location"), next === "/ok/" ? "/ok/" : "/", next);
  }
});

test("messages from the provider are shown as text", async () => {
  const p = provider();
  p.login = async () => { throw new IdentityError("rejected", "<script>alert(1)</script>"); };
  const response = await handleAuth(post("login", { email: "reader@example.org", password: "correct horse" }), deps({ provider: p }));
  const html = await response.text();
  assert.ok(!html.includes("<script>alert"));
  assert.ok(html.includes("&lt;script&gt;"));
});

test("an unreachable provider or a missing secret answers 503, not a crash", async () => {
  const p = provider();
  p.login = async () => { throw new IdentityError("unavailable", "down"); };
  assert.equal((await handleAuth(post("login", { email: "reader@example.org", password: "correct horse" }), deps({ provider: p }))).status, 503);
  assert.equal((await handleAuth(post("login", { email: "reader@example.org", password: "correct horse" }), deps({ secret: undefined }))).status, 503);
});

test("logging out clears the cookies and ends every copy of the session", async () => {
  const meters = new MemoryStore();
  const login = await handleAuth(post("login", { email: "paid@example.org", password: "correct horse" }), deps({ meters }));
  const token = setCookies(login).ocr_session.value;
  const later = new Date(NOW.getTime() + 1000);
  const out = await handleAuth(post("logout", { next: "/modifiers/53/" }, { origin: ORIGIN, cookie: `ocr_session=${token}` }), deps({ meters, now: later }));
  assert.equal(out.status, 303);
  const cleared = setCookies(out);
  assert.equal(cleared.ocr_session.value, "");
  assert.ok(cleared.ocr_session.attrs.includes("Max-Age=0"));
  assert.equal(cleared.ocr_account.value, "");
  // A copy of the old cookie no longer unlocks anything.
  const pages = new MemoryStore({ "members/modifiers/53": { v: 1, sections: ["<p>SECRET</p>", "<p>SECRET 2</p>"] } });
  const seen = await gate(new Request(`${ORIGIN}/modifiers/53/`, { headers: { cookie: `ocr_session=${token}` } }), context(),
    { pages, meters, secret: SECRET, now: new Date(later.getTime() + 1000) });
  assert.match(await seen.text(), /Guest accounts are limited/);
});

test("the auth function never takes the identity server's address from the request", async () => {
  const { setEnvironmentContext } = await import("@netlify/blobs");
  const { installEnv } = await import("../../tools/preview/adapter.mjs");
  const { default: auth } = await import("../../netlify/functions/auth.mjs");
  installEnv({ SESSION_SECRET: SECRET });
  setEnvironmentContext({ edgeURL: "http://127.0.0.1:9", token: "t", siteID: "s", deployID: "d" });
  const seen = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => { seen.push(String(url)); return new Response("{}", { status: 400 }); };
  try {
    const login = () => new Request("http://127.0.0.1:9999/api/auth/login", {
      method: "POST", body: "email=a%40example.org&password=pw123456",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:9999" } });
    const refused = await auth(login(), { site: { url: "https://codes.example" } });
    assert.equal(refused.status, 401);
    assert.deepEqual(seen, ["https://codes.example/.netlify/identity/token"]);
    const unconfigured = await auth(login(), { site: {} });
    assert.equal(unconfigured.status, 503);
    assert.equal(seen.length, 1, "nothing is sent when no identity URL is configured");
  } finally {
    globalThis.fetch = realFetch;
  }
});
