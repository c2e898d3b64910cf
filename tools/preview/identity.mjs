// A local stand-in for Netlify Identity (GoTrue): just the five endpoints the Netlify Identity
// adapter (netlify/lib/identity.mjs) calls, so that the preview runs that adapter unchanged.
// Accounts live in <state>/users.json; "confirmation emails" are written to <state>/outbox/
// and printed. Not a production identity service: no email, no rate limits, no recovery.
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function localIdentity({ stateDir, subscribers = [], origin, log = console.log }) {
  const file = path.join(stateDir, "users.json");
  const outbox = path.join(stateDir, "outbox");
  mkdirSync(outbox, { recursive: true });
  const users = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const tokens = new Map(); // access token -> user id (in memory: a restart logs everyone out here)
  const grant = () => {
    for (const user of Object.values(users)) {
      user.roles = subscribers.includes(user.email) ? ["subscriber"] : [];
    }
  };
  grant();
  const save = () => writeFileSync(file, JSON.stringify(users, null, 1));
  const byEmail = (email) => Object.values(users).find((u) => u.email === email.toLowerCase());
  const hash = (password, salt) => scryptSync(password, salt, 32).toString("hex");
  const json = (status, data) => new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json" } });
  const issue = (user) => {
    const token = randomBytes(24).toString("hex");
    tokens.set(token, user.id);
    return json(200, { access_token: token, token_type: "bearer", expires_in: 3600, refresh_token: randomBytes(8).toString("hex") });
  };
  const bearer = (request) => tokens.get((request.headers.get("authorization") ?? "").replace(/^Bearer /, ""));

  const body = async (request) => {
    try {
      const data = await request.json();
      return data !== null && typeof data === "object" && !Array.isArray(data) ? data : null;
    } catch {
      return null;
    }
  };

  return async function handle(request) {
    const action = new URL(request.url).pathname.replace(/^\/\.netlify\/identity\//, "");
    if (action === "signup" && request.method === "POST") {
      const data = await body(request);
      if (data === null) return json(400, { msg: "the request body must be a JSON object" });
      const { email, password } = data;
      if (typeof email !== "string" || typeof password !== "string") return json(400, { msg: "email and password required" });
      if (byEmail(email)) return json(422, { msg: "A user with this email address has already been registered" });
      const salt = randomBytes(16).toString("hex");
      const user = { id: randomUUID(), email: email.toLowerCase(), salt, hash: hash(password, salt), confirmed: false,
        confirmation: randomBytes(16).toString("hex") };
      users[user.id] = user;
      grant();
      save();
      const link = `${origin}/api/auth/confirm?token=${user.confirmation}`;
      writeFileSync(path.join(outbox, `${user.email.replace(/[^a-z0-9@._-]/g, "_")}.txt`), `${link}\n`);
      log(`[identity stand-in] confirmation email for ${user.email}: ${link}`);
      return json(200, { id: user.id, email: user.email, confirmation_sent_at: new Date().toISOString() });
    }
    if (action === "verify" && request.method === "POST") {
      const data = await body(request);
      if (data === null) return json(400, { msg: "the request body must be a JSON object" });
      const { type, token } = data;
      const user = Object.values(users).find((u) => u.confirmation && u.confirmation === token);
      if (type !== "signup" || !user) return json(404, { msg: "User not found" });
      user.confirmed = true;
      user.confirmedAt = new Date().toISOString();
      delete user.confirmation;
      save();
      return issue(user);
    }
    if (action === "token" && request.method === "POST") {
      const form = new URLSearchParams(await request.text());
      const user = byEmail(form.get("username") ?? "");
      const given = Buffer.from(user ? hash(form.get("password") ?? "", user.salt) : "0", "utf8");
      const ok = user && timingSafeEqual(given, Buffer.from(user.hash, "utf8"));
      if (!ok) return json(400, { error: "invalid_grant", error_description: "Invalid Password" });
      if (!user.confirmed) return json(400, { error: "invalid_grant", error_description: "Email not confirmed" });
      return issue(user);
    }
    if (action === "user" && request.method === "GET") {
      const user = users[bearer(request)];
      if (!user) return json(401, { msg: "Invalid token" });
      return json(200, { id: user.id, email: user.email, confirmed_at: user.confirmedAt, app_metadata: { roles: user.roles } });
    }
    if (action === "logout" && request.method === "POST") {
      const id = bearer(request);
      for (const [token, owner] of tokens) if (owner === id) tokens.delete(token);
      return new Response(null, { status: 204 });
    }
    return json(404, { msg: "not found" });
  };
}
