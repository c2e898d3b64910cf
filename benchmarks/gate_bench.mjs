// Members gate benchmark: time per request of the edge function's logic (netlify/lib/gate.mjs)
// on the largest gated page of a built site, for each kind of reader, with in-memory stores so
// that only our own work is measured (Netlify's edge limit is 50 ms of CPU per request).
//
//   node benchmarks/gate_bench.mjs [--site site] [--out benchmarks/results/gate.json]
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { addressId } from "../netlify/lib/address.mjs";
import { gate } from "../netlify/lib/gate.mjs";
import { ledgerPrefix } from "../netlify/lib/ledger.mjs";
import { signToken } from "../netlify/lib/jwt.mjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((out, v, i, all) => (i % 2 ? out : [...out, [v.replace(/^--/, ""), all[i + 1]]]), []));
const site = path.resolve(args.site ?? "site");
const blobs = path.join(path.dirname(site), ".netlify", "v1", "blobs", "deploy", "members");
const SECRET = "benchmark-secret-0123456789abcdefghijklmnop";
const RUNS = 300;

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(full); else yield full;
  }
}

// The gated page with the largest HTML.
let largest = null;
for (const blob of files(blobs)) {
  const rel = path.relative(blobs, blob).split(path.sep).join("/");
  const html = path.join(site, rel, "index.html");
  const size = statSync(html).size;
  if (!largest || size > largest.size) largest = { rel, blob, html, size };
}
const html = readFileSync(largest.html, "utf8");
const blob = JSON.parse(readFileSync(largest.blob, "utf8"));
const pagePath = `/${largest.rel}/`;

class Store {
  constructor(entries = {}) { this.data = new Map(Object.entries(entries)); }
  async get(key) { return this.data.has(key) ? structuredClone(this.data.get(key)) : null; }
  async setJSON(key, value, { onlyIfNew = false } = {}) {
    if (onlyIfNew && this.data.has(key)) return { modified: false };
    this.data.set(key, structuredClone(value));
    return { modified: true };
  }
}
const pages = new Store({ [`members/${largest.rel}`]: blob });
const next = async () => new Response(html, { headers: { "content-type": "text/html; charset=utf-8", etag: '"x"' } });
const ip = "198.51.100.7";
const iat = Date.now() / 1000;
const registered = await signToken({ sub: "bench-user", role: "registered", iat, exp: iat + 3600 }, SECRET);
const subscriber = await signToken({ sub: "bench-paid", role: "subscriber", iat, exp: iat + 3600 }, SECRET);

async function time(name, makeRequest, makeMeters) {
  const samples = [];
  for (let i = 0; i < RUNS + 20; i++) {
    const meters = makeMeters();
    const request = makeRequest(i);
    const t0 = process.hrtime.bigint();
    const response = await gate(request, { next, ip }, { pages, meters, secret: SECRET });
    const body = await response.text();
    if (name.includes("teasers") === body.includes('<div class="member-body">')) throw new Error(`${name}: unexpected page`);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= 20) samples.push(ms); // the first runs warm the JIT and the key cache
  }
  samples.sort((a, b) => a - b);
  const pct = (p) => Number(samples[Math.floor((samples.length - 1) * p)].toFixed(3));
  return { case: name, runs: RUNS, median_ms: pct(0.5), p95_ms: pct(0.95), max_ms: pct(1) };
}

const url = `https://bench.example${pagePath}`;
const month = new Date().toISOString().slice(0, 7);
const spent = new Store({ [`${ledgerPrefix(month, "addresses", await addressId(ip, SECRET, month))}/0`]: { page: "/other/1/", claim: "x" } });
const results = [
  await time("guest, first view (address hash, unlock, sign cookie, write ledger slot)", () => new Request(url), () => new Store()),
  await time("cookieless guest, address already used (teasers, no write)", () => new Request(url), () => spent),
  await time("registered, unlock (verify JWT, read and write record)", () => new Request(url, { headers: { cookie: `ocr_session=${registered}` } }), () => new Store()),
  await time("registered, over the limit (teasers)", () => new Request(url, { headers: { cookie: `ocr_session=${registered}` } }),
    () => new Store({ "users/bench-user": { state: { month: new Date().toISOString().slice(0, 7), pages: ["/a/1/", "/a/2/", "/a/3/", "/a/4/", "/a/5/", "/a/6/"] } } })),
  await time("subscriber", () => new Request(url, { headers: { cookie: `ocr_session=${subscriber}` } }), () => new Store()),
  await time("forged 4 KB session cookie", () => new Request(url, { headers: { cookie: `ocr_session=${"A".repeat(4000)}` } }), () => new Store()),
];
const out = {
  page: pagePath, page_bytes: largest.size, sections: blob.sections.length,
  node: process.version, cpu: os.cpus()[0]?.model, date: new Date().toISOString().slice(0, 10), results,
};
console.log(JSON.stringify(out, null, 2));
if (args.out) writeFileSync(args.out, JSON.stringify(out, null, 2) + "\n");
