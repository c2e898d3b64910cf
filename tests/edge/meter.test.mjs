import assert from "node:assert/strict";
import { test } from "node:test";
import { ALLOWANCE, current, monthOf, view } from "../../netlify/lib/meter.mjs";

const M = "2026-11";

test("a guest gets exactly one page a month", () => {
  const first = view(null, "/modifiers/53/", "guest", M);
  assert.deepEqual(first, { unlocked: true, counted: true, remaining: 0, state: { month: M, pages: ["/modifiers/53/"] } });
  const second = view(first.state, "/modifiers/52/", "guest", M);
  assert.equal(second.unlocked, false);
  assert.equal(second.remaining, 0);
  assert.deepEqual(second.state, first.state);
});

test("re-opening a page already unlocked this month does not count", () => {
  const first = view(null, "/cpt/99213/", "guest", M);
  const again = view(first.state, "/cpt/99213/", "guest", M);
  assert.equal(again.unlocked, true);
  assert.equal(again.counted, false);
  assert.deepEqual(again.state, first.state);
});

test("a registered reader gets 5 more than a guest: 6 in a month, then nothing", () => {
  assert.equal(ALLOWANCE.registered, ALLOWANCE.guest + 5);
  let state = null;
  for (let i = 1; i <= 6; i++) {
    const d = view(state, `/modifiers/${i}/`, "registered", M);
    assert.equal(d.unlocked, true, `page ${i}`);
    assert.equal(d.remaining, 6 - i);
    state = d.state;
  }
  assert.equal(view(state, "/modifiers/7/", "registered", M).unlocked, false);
  assert.equal(view(state, "/modifiers/3/", "registered", M).unlocked, true);
});

test("a subscriber is never metered", () => {
  let state = null;
  for (let i = 0; i < 100; i++) {
    const d = view(state, `/p/${i}/`, "subscriber", M);
    assert.equal(d.unlocked, true);
    assert.equal(d.counted, false);
    assert.equal(d.remaining, Infinity);
    state = d.state;
  }
});

test("a new calendar month starts afresh, in UTC", () => {
  const october = view(null, "/a/b/", "guest", "2026-10").state;
  const november = view(october, "/a/c/", "guest", "2026-11");
  assert.equal(november.unlocked, true);
  assert.deepEqual(november.state.pages, ["/a/c/"]);
  assert.equal(monthOf(new Date("2026-11-30T23:59:59Z")), "2026-11");
  assert.equal(monthOf(new Date("2026-12-01T00:00:00Z")), "2026-12");
  assert.equal(monthOf(new Date("2026-12-31T23:30:00-05:00")), "2027-01");
});

test("states we did not write count as empty", () => {
  for (const bad of [undefined, null, "x", 7, [], { month: M }, { month: "2026-1", pages: [] },
    { month: M, pages: "a" }, { month: M, pages: [1] }, { month: M, pages: Array(65).fill("/a/b/") }]) {
    assert.deepEqual(current(bad, M), { month: M, pages: [] });
  }
  assert.throws(() => view(null, "/a/b/", "admin", M), /unknown tier/);
});
