// Requests sent at the same instant by one reader for different pages: the meter must unlock
// exactly the allowance, not one page per request. Run against an in-memory store with
// Netlify Blobs' conditional-write semantics and random latency, and against the real
// @netlify/blobs client talking to the local preview's blob server over HTTP.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { getDeployStore, getStore } from "@netlify/blobs";
import { gate } from "../../netlify/lib/gate.mjs";
import { ledgerPrefix } from "../../netlify/lib/ledger.mjs";
import { signToken } from "../../netlify/lib/jwt.mjs";
import { startBlobs } from "../../tools/preview/adapter.mjs";
import { MemoryStore, SECRET, context, request, setCookies } from "./helpers.mjs";

const NOW = new Date("2026-11-15T12:00:00Z");
const OCTOBER = new Date("2026-10-20T12:00:00Z");
const CODES = ["22", "23", "24", "25", "26", "27", "32", "33", "47"];
const BLOBS = Object.fromEntries(CODES.map((c) => [`members/modifiers/${c}`, { v: 1, sections: [`<p>SECRET-${c}-1</p>`, `<p>SECRET-${c}-2</p>`] }]));

async function open(path, cookies, deps) {
  const response = await gate(request(path, cookies), context(undefined, { ip: deps.ip }), deps);
  const html = await response.text();
  return { path, html, unlocked: html.includes("SECRET-"), cookies: setCookies(response) };
}

/** All pages of `codes` at once, as a script would send them. */
async function burst(codes, cookies, deps) {
  return Promise.all(codes.map((c) => open(`/modifiers/${c}/`, cookies, deps)));
}

async function session(sub) {
  const iat = NOW.getTime() / 1000 - 60;
  return signToken({ sub, role: "registered", iat, exp: iat + 3600 }, SECRET);
}

/** A guest cookie whose one view was last month: this month's view is still to be had. */
async function lastMonthsGuest(deps) {
  const october = await open("/modifiers/47/", {}, { ...deps, now: OCTOBER });
  assert.ok(october.unlocked);
  return october.cookies.ocr_meter.value;
}

function assertShape(results, allowed) {
  const unlocked = results.filter((r) => r.unlocked);
  assert.equal(unlocked.length, allowed, `unlocked: ${unlocked.map((r) => r.path).join(" ")}`);
  for (const r of results.filter((x) => !x.unlocked)) {
    assert.match(r.html, /Register to view content/, r.path);
    assert.match(r.html, /The members-only sections of this page are hidden/, r.path);
  }
  return unlocked.map((r) => r.path);
}

async function slotPages(store, prefix, allowance) {
  const slots = await Promise.all(Array.from({ length: allowance + 1 }, (_, i) => store.get(`${prefix}/${i}`, { type: "json" })));
  return slots.filter((s) => s !== null).map((s) => s.page);
}

function scenarios(label, makeDeps) {
  describe(label, () => {
    test("9 pages at once for an account allowed 6: exactly 6 unlock, the rest get teasers", async () => {
      for (let round = 0; round < 3; round++) {
        const deps = await makeDeps();
        const sub = `burst-${label}-${round}`;
        const results = await burst(CODES, { ocr_session: await session(sub) }, deps);
        const unlocked = assertShape(results, 6);
        const slots = await slotPages(deps.meters, ledgerPrefix("2026-11", "users", sub), 6);
        assert.deepEqual([...slots].sort(), [...unlocked].sort(), "each unlocked page holds one slot, no more");
        // Afterwards the account is spent: a page not unlocked in the burst stays locked.
        const late = results.find((r) => !r.unlocked);
        assert.equal((await open(late.path, { ocr_session: await session(sub) }, deps)).unlocked, false);
      }
    });

    test("9 pages at once for a guest allowed 1: exactly 1 unlocks", async () => {
      for (let round = 0; round < 3; round++) {
        const deps = await makeDeps();
        const meter = await lastMonthsGuest(deps);
        const results = await burst(CODES.slice(0, 8).concat("47"), { ocr_meter: meter }, deps);
        assertShape(results, 1);
        const issued = results.filter((r) => r.cookies.ocr_meter).map((r) => r.cookies.ocr_meter.value);
        assert.equal(issued.length, 1, "only the request that won the slot sends a new meter cookie");
      }
    });

    test("a guest view carried into an account is one of the six, also when requests race", async () => {
      const deps = await makeDeps();
      const first = await open("/modifiers/47/", {}, deps);
      const cookies = { ocr_session: await session(`carry-${label}`), ocr_meter: first.cookies.ocr_meter.value };
      const results = await burst(CODES.slice(0, 8), cookies, deps);
      assertShape(results, 5);
    });

    test("the same page requested 9 times at once unlocks every time and counts once", async () => {
      const deps = await makeDeps();
      const sub = `same-${label}`;
      const cookies = { ocr_session: await session(sub) };
      const results = await Promise.all(Array.from({ length: 9 }, () => open("/modifiers/22/", cookies, deps)));
      assert.ok(results.every((r) => r.unlocked));
      assert.deepEqual(await slotPages(deps.meters, ledgerPrefix("2026-11", "users", sub), 6), ["/modifiers/22/"]);
    });
  });
}

// Each scenario is a reader at an address of its own: the stores over HTTP are shared between them.
let hosts = 0;
const freshIp = () => `203.0.113.${(hosts += 1)}`;

scenarios("memory store", async () => ({ ip: freshIp(), pages: new MemoryStore(BLOBS), meters: new MemoryStore({}, { latency: 8 }), secret: SECRET, now: NOW }));

describe("the real @netlify/blobs client and the preview's blob server", () => {
  let dir;
  let server;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ocr-blobs-"));
    const deployDir = path.join(dir, "deploy");
    for (const [key, value] of Object.entries(BLOBS)) {
      mkdirSync(path.dirname(path.join(deployDir, key)), { recursive: true });
      writeFileSync(path.join(deployDir, key), JSON.stringify(value));
    }
    ({ server } = await startBlobs({ stateDir: dir, deployBlobsDir: deployDir }));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("create-only writes to one key sent together: exactly one succeeds", async () => {
    const store = getStore({ name: "meters", consistency: "strong" });
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(Array.from({ length: 9 }, (_, i) => store.setJSON(`race/${round}`, { i }, { onlyIfNew: true })));
      assert.equal(results.filter((r) => r.modified).length, 1, `round ${round}`);
    }
  });

  scenarios("over HTTP", async () => ({ ip: freshIp(), pages: getDeployStore(), meters: getStore({ name: "meters", consistency: "strong" }), secret: SECRET, now: NOW }));
});
