// The Netlify Identity adapter against a recorded GoTrue conversation (fetch is injected, so no
// network is used): the requests it makes and how it reads the answers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { IdentityError, identityUrl, netlifyIdentity } from "../../netlify/lib/identity.mjs";

const USER = { id: "6c1b", email: "reader@example.org", confirmed_at: "2026-11-01T00:00:00Z", app_metadata: { roles: ["subscriber", 5] } };

function gotrue(routes) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body });
    const route = routes[`${init.method} ${new URL(url).pathname}`];
    if (!route) return new Response("{}", { status: 404 });
    if (route instanceof Error) throw route;
    return new Response(route[0] === 204 ? null : JSON.stringify(route[1]), { status: route[0] });
  };
  return { calls, fetch };
}

test("login exchanges the password for a token, reads the user, then revokes the token", async () => {
  const { calls, fetch } = gotrue({
    "POST /.netlify/identity/token": [200, { access_token: "gotrue-token" }],
    "GET /.netlify/identity/user": [200, USER],
    "POST /.netlify/identity/logout": [204, {}],
  });
  const { user } = await netlifyIdentity({ url: "https://codes.example/.netlify/identity/", fetch }).login("reader@example.org", "pw123456");
  assert.deepEqual(user, { id: "6c1b", email: "reader@example.org", roles: ["subscriber"] });
  assert.equal(calls[0].body, "grant_type=password&username=reader%40example.org&password=pw123456");
  assert.equal(calls[0].headers["content-type"], "application/x-www-form-urlencoded");
  assert.equal(calls[1].headers.authorization, "Bearer gotrue-token");
  assert.equal(calls[2].url, "https://codes.example/.netlify/identity/logout");
});

test("wrong passwords and unconfirmed accounts are told apart", async () => {
  const wrong = gotrue({ "POST /id/token": [400, { error: "invalid_grant", error_description: "Invalid Password" }] });
  await assert.rejects(netlifyIdentity({ url: "https://x/id", fetch: wrong.fetch }).login("a@b", "p"), (e) => e.code === "invalid");
  const unconfirmed = gotrue({ "POST /id/token": [400, { error: "invalid_grant", error_description: "Email not confirmed" }] });
  await assert.rejects(netlifyIdentity({ url: "https://x/id", fetch: unconfirmed.fetch }).login("a@b", "p"), (e) => e.code === "unconfirmed");
});

test("signup waits for the confirmation email unless the site autoconfirms", async () => {
  const pending = gotrue({ "POST /id/signup": [200, { id: "1", email: "a@b" }] });
  assert.deepEqual(await netlifyIdentity({ url: "https://x/id", fetch: pending.fetch }).register("a@b", "pw123456"), { pending: true });
  assert.deepEqual(JSON.parse(pending.calls[0].body), { email: "a@b", password: "pw123456" });
  const auto = gotrue({
    "POST /id/signup": [200, USER], "POST /id/token": [200, { access_token: "t" }],
    "GET /id/user": [200, USER], "POST /id/logout": [204, {}],
  });
  assert.equal((await netlifyIdentity({ url: "https://x/id", fetch: auto.fetch }).register("a@b", "pw123456")).user.id, "6c1b");
  const taken = gotrue({ "POST /id/signup": [422, { msg: "A user with this email address has already been registered" }] });
  await assert.rejects(netlifyIdentity({ url: "https://x/id", fetch: taken.fetch }).register("a@b", "p"), /already been registered/);
});

test("confirm verifies the signup token", async () => {
  const { calls, fetch } = gotrue({
    "POST /id/verify": [200, { access_token: "t" }], "GET /id/user": [200, { ...USER, app_metadata: {} }], "POST /id/logout": [204, {}],
  });
  const { user } = await netlifyIdentity({ url: "https://x/id", fetch }).confirm("tok");
  assert.deepEqual(JSON.parse(calls[0].body), { type: "signup", token: "tok" });
  assert.deepEqual(user.roles, []);
  const bad = gotrue({ "POST /id/verify": [404, { msg: "User not found" }] });
  await assert.rejects(netlifyIdentity({ url: "https://x/id", fetch: bad.fetch }).confirm("tok"), (e) => e.code === "invalid");
});

test("an unreachable or failing identity service is 'unavailable'", async () => {
  const down = gotrue({ "POST /id/token": new TypeError("fetch failed") });
  await assert.rejects(netlifyIdentity({ url: "https://x/id", fetch: down.fetch }).login("a@b", "p"), (e) => e instanceof IdentityError && e.code === "unavailable");
  const broken = gotrue({ "POST /id/token": [502, {}] });
  await assert.rejects(netlifyIdentity({ url: "https://x/id", fetch: broken.fetch }).login("a@b", "p"), (e) => e.code === "unavailable");
});

test("the identity URL comes from IDENTITY_URL or the site's URL, and must be a plain http(s) URL", () => {
  assert.equal(identityUrl("https://id.example/gotrue/", "https://codes.example"), "https://id.example/gotrue");
  assert.equal(identityUrl(undefined, "https://codes.example/"), "https://codes.example/.netlify/identity");
  assert.equal(identityUrl("", "https://codes.example"), "https://codes.example/.netlify/identity");
  for (const [configured, site] of [[undefined, undefined], ["", ""], ["javascript:alert(1)", null], ["file:///etc/passwd", null],
    ["https://user:pw@id.example", null], ["https://id.example/?x=1", null], ["not a url", null]]) {
    assert.equal(identityUrl(configured, site), null, String(configured));
  }
});

test("with no identity service configured every account action is 'unavailable'", async () => {
  const provider = netlifyIdentity({ url: null, fetch: () => assert.fail("no request may be sent") });
  await assert.rejects(provider.login("a@example.org", "pw123456"), (err) => err instanceof IdentityError && err.code === "unavailable");
});
