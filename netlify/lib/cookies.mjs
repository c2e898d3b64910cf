// Reading the Cookie header and writing Set-Cookie values. The edge function and the login
// function parse the raw header with this module (not a platform helper) so that the code the
// tests exercise with hostile input is the code that runs on Netlify.

export const MAX_HEADER_LENGTH = 16384;
export const MAX_VALUE_LENGTH = 4096;
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Cookie name -> value; the first of duplicate names wins; oversized input is ignored. */
export function parseCookies(header) {
  const out = new Map();
  if (typeof header !== "string" || header.length > MAX_HEADER_LENGTH) return out;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (!NAME.test(name) || out.has(name) || value.length > MAX_VALUE_LENGTH) continue;
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out.set(name, value);
  }
  return out;
}

/**
 * A Set-Cookie value. Every cookie of ours is Secure and SameSite=Lax on the whole site;
 * `httpOnly` is false only for the display hint that tells page scripts someone is logged in.
 */
export function serializeCookie(name, value, { maxAge, httpOnly = true } = {}) {
  if (!NAME.test(name) || !/^[A-Za-z0-9._~-]*$/.test(value)) throw new Error("unsafe cookie");
  const parts = [`${name}=${value}`, "Path=/", "Secure", "SameSite=Lax"];
  if (httpOnly) parts.push("HttpOnly");
  if (maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAge))}`);
  return parts.join("; ");
}

export function expireCookie(name, options = {}) {
  return serializeCookie(name, "", { ...options, maxAge: 0 });
}
