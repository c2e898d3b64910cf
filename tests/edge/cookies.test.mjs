import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_HEADER_LENGTH, expireCookie, parseCookies, serializeCookie } from "../../netlify/lib/cookies.mjs";

test("cookies parse, the first of duplicate names wins", () => {
  const c = parseCookies('a=1; b="two"; a=3;c=;=x; bad name=4; d');
  assert.deepEqual([...c], [["a", "1"], ["b", "two"], ["c", ""]]);
});

test("oversized headers and values are ignored, not parsed", () => {
  assert.equal(parseCookies(`a=${"x".repeat(MAX_HEADER_LENGTH)}`).size, 0);
  assert.deepEqual([...parseCookies(`a=${"x".repeat(5000)}; b=1`)], [["b", "1"]]);
  for (const junk of [undefined, null, 5, "", ";;;", "=;=", "\u0000=\u0000"]) assert.equal(parseCookies(junk).size, 0);
});

test("our cookies are Secure, SameSite=Lax, site-wide, and HttpOnly unless asked", () => {
  assert.equal(serializeCookie("s", "v", { maxAge: 60 }), "s=v; Path=/; Secure; SameSite=Lax; HttpOnly; Max-Age=60");
  assert.equal(serializeCookie("h", "v", { httpOnly: false }), "h=v; Path=/; Secure; SameSite=Lax");
  assert.equal(expireCookie("s"), "s=; Path=/; Secure; SameSite=Lax; HttpOnly; Max-Age=0");
  assert.throws(() => serializeCookie("s", "a;b"), /unsafe/);
});
