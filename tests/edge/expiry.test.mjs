import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { getStore } from "@netlify/blobs";
import { expireLedgers } from "../../netlify/lib/expiry.mjs";
import { gate } from "../../netlify/lib/gate.mjs";
import { startBlobs } from "../../tools/preview/adapter.mjs";
import { MemoryStore, SECRET, context, request } from "./helpers.mjs";

const PAGES = { "members/modifiers/53": { v: 1, sections: ["<p>a</p>", "<p>b</p>"] } };

async function fill(meters) {
  for (const [now, ip] of [["2026-10-03T00:00:00Z", "198.51.100.1"], ["2026-10-30T00:00:00Z", "198.51.100.2"],
    ["2026-11-02T00:00:00Z", "198.51.100.1"]]) {
    await gate(request("/modifiers/53/"), context(undefined, { ip }), { pages: new MemoryStore(PAGES), meters, secret: SECRET, now: new Date(now) });
  }
  await meters.setJSON("users/u-1", { loggedOutAt: 1 });
}

test("past months' ledger entries are deleted; this month's and account records stay", async () => {
  const meters = new MemoryStore();
  await fill(meters);
  assert.equal(meters.keys("slots/2026-10/").length, 2);
  assert.equal(await expireLedgers(meters, new Date("2026-11-15T00:00:00Z")), 2);
  assert.deepEqual(meters.keys("slots/2026-10/"), []);
  assert.equal(meters.keys("slots/2026-11/").length, 1);
  assert.deepEqual(meters.keys("users/"), ["users/u-1"]);
  assert.equal(await expireLedgers(meters, new Date("2026-11-15T00:00:00Z")), 0);
});

test("the same against the real @netlify/blobs client and the preview's blob server", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ocr-expiry-"));
  const { server } = await startBlobs({ stateDir: dir, deployBlobsDir: path.join(dir, "none") });
  try {
    const meters = getStore({ name: "meters", consistency: "strong" });
    await fill(meters);
    assert.equal(await expireLedgers(meters, new Date("2026-11-15T00:00:00Z")), 2);
    const { blobs } = await meters.list({ prefix: "slots/" });
    assert.deepEqual(blobs.map((b) => b.key.slice(0, 14)), ["slots/2026-11/"]);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
