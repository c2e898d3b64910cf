// The identity provider, behind one small interface so that another provider can replace
// Netlify Identity by implementing these four calls:
//
//   register(email, password) -> { user } when the account is ready, { pending: true } when
//                                 the provider first sends a confirmation email
//   confirm(token)            -> { user } for the token from that email
//   login(email, password)    -> { user }
//   logout(user)              -> ends the provider's own session, if it keeps one
//
// where user = { id, email, roles }. Failures throw IdentityError with a code the login
// function maps to a message: "invalid" (bad credentials or token), "unconfirmed", "rejected"
// (the provider refused, with its reason), "unavailable".

export class IdentityError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Where Netlify Identity lives: IDENTITY_URL when set, else the site's own URL as Netlify's
 * context gives it (`context.site.url`) + "/.netlify/identity"; never anything from the request,
 * whose Host or request target a client chooses. null when neither is a usable http(s) URL:
 * account actions then answer "unavailable".
 */
export function identityUrl(configured, siteUrl) {
  const base = configured || (siteUrl ? `${String(siteUrl).replace(/\/+$/, "")}/.netlify/identity` : "");
  let url;
  try { url = new URL(base); } catch { return null; }
  if (!["https:", "http:"].includes(url.protocol) || url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, "");
}

/**
 * Netlify Identity (GoTrue) at `url`, normally https://<site>/.netlify/identity. We use its
 * tokens only to learn who the user is, then revoke them: our own session cookie is the only
 * credential the site keeps.
 */
export function netlifyIdentity({ url, fetch = globalThis.fetch }) {
  const base = typeof url === "string" ? url.replace(/\/+$/, "") : null;

  async function call(path, { method = "POST", json, form, token } = {}) {
    if (base === null) throw new IdentityError("unavailable", "no identity service is configured");
    const headers = {};
    let body;
    if (json) { headers["content-type"] = "application/json"; body = JSON.stringify(json); }
    if (form) { headers["content-type"] = "application/x-www-form-urlencoded"; body = new URLSearchParams(form).toString(); }
    if (token) headers.authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, body });
    } catch (err) {
      throw new IdentityError("unavailable", `identity service unreachable: ${err.message}`);
    }
    const text = await response.text();
    let data = {};
    try { data = text ? JSON.parse(text) : {}; } catch { /* an error page, not JSON */ }
    if (response.status >= 500) throw new IdentityError("unavailable", `identity service answered ${response.status}`);
    return { status: response.status, data };
  }

  function message(data) {
    return String(data.error_description ?? data.msg ?? data.error ?? "refused");
  }

  async function userFor(accessToken) {
    const { status, data } = await call("/user", { method: "GET", token: accessToken });
    if (status !== 200 || typeof data.id !== "string") throw new IdentityError("invalid", "the identity token was not accepted");
    await call("/logout", { token: accessToken }); // revoke: we keep no provider tokens
    const roles = Array.isArray(data.app_metadata?.roles) ? data.app_metadata.roles.filter((r) => typeof r === "string") : [];
    return { id: data.id, email: String(data.email ?? ""), roles };
  }

  return {
    async register(email, password) {
      const { status, data } = await call("/signup", { json: { email, password } });
      if (status !== 200) throw new IdentityError("rejected", message(data));
      if (data.confirmed_at) return this.login(email, password); // the site has autoconfirm on
      return { pending: true };
    },
    async confirm(token) {
      const { status, data } = await call("/verify", { json: { type: "signup", token } });
      if (status !== 200 || typeof data.access_token !== "string") throw new IdentityError("invalid", "this confirmation link is invalid or was already used");
      return { user: await userFor(data.access_token) };
    },
    async login(email, password) {
      const { status, data } = await call("/token", { form: { grant_type: "password", username: email, password } });
      if (status !== 200 || typeof data.access_token !== "string") {
        if (/confirm/i.test(message(data))) throw new IdentityError("unconfirmed", "confirm your email address first: follow the link in the email we sent");
        throw new IdentityError("invalid", "wrong email or password");
      }
      return { user: await userFor(data.access_token) };
    },
    async logout() {
      // Nothing to end at the provider: its tokens were revoked right after login.
    },
  };
}
