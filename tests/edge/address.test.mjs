import assert from "node:assert/strict";
import { test } from "node:test";
import { addressId, clientNetwork } from "../../netlify/lib/address.mjs";
import { SECRET } from "./helpers.mjs";

test("addresses are named by network: IPv4 whole, IPv6 by its /64", () => {
  assert.equal(clientNetwork("203.0.113.7"), "203.0.113.7");
  assert.equal(clientNetwork("::ffff:203.0.113.7"), "203.0.113.7");
  assert.equal(clientNetwork("2001:DB8:0:1:aaaa::1"), "2001:db8:0:1::/64");
  assert.equal(clientNetwork("[2001:db8::1]"), "2001:db8:0:0::/64");
  assert.equal(clientNetwork("fe80::1%eth0"), "fe80:0:0:0::/64");
  for (const bad of [null, 7, "", "256.1.1.1", "1.2.3", "a.b.c.d", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "x".repeat(80)]) {
    assert.equal(clientNetwork(bad), null, String(bad));
  }
});

test("ledger ids are keyed hashes that change with the month and the secret, never the address", async () => {
  const nov = await addressId("203.0.113.7", SECRET, "2026-11");
  assert.match(nov, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!nov.includes("203"));
  assert.equal(await addressId("203.0.113.7", SECRET, "2026-11"), nov);
  assert.notEqual(await addressId("203.0.113.7", SECRET, "2026-12"), nov, "the key rotates monthly");
  assert.notEqual(await addressId("203.0.113.8", SECRET, "2026-11"), nov);
  assert.notEqual(await addressId("203.0.113.7", `${SECRET}-other`, "2026-11"), nov);
  assert.equal(await addressId("bogus", SECRET, "2026-11"), null);
});
