// Short links at the edge (netlify/lib/shortlinks.mjs) and in the browser
// (overrides/assets/javascripts/shortlinks.js), over the same shards the build writes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";
import { checkShard, findIn, shortlink, spellingOf } from "../../netlify/lib/shortlinks.mjs";
import { BrokenStore, MemoryStore } from "./helpers.mjs";

const SHARDS = {
  "shortlinks/52": { v: 1, suffix: "/", folders: { modifiers: ["52"] } },
  "shortlinks/53": { v: 1, suffix: "/", folders: { modifiers: ["53"] } },
  "shortlinks/E1": { v: 1, suffix: "/", folders: { "icd-10-cm": ["E11", "E11.6", "E11.65"] } },
  "shortlinks/J1": { v: 1, suffix: "/", folders: { hcpcs: ["J1100"], "icd-10-cm": ["J11.00"] } },
};

function ctx() {
  const calls = [];
  return { calls, next: async () => { calls.push(1); return new Response("static", { status: 404 }); } };
}

async function get(path, store = new MemoryStore(SHARDS), extra = {}) {
  const context = ctx();
  const response = await shortlink(new Request(`https://codes.example${path}`), context, { store, ...extra });
  return { response, passed: context.calls.length === 1, location: response.headers.get("location") };
}

test("short links answer 301 to the code's page, in any case, with or without the dot", async () => {
  for (const [path, target] of [["/53", "/modifiers/53/"], ["/E11.65", "/icd-10-cm/E11.65/"], ["/e11.65", "/icd-10-cm/E11.65/"],
    ["/E1165", "/icd-10-cm/E11.65/"], ["/e1165/", "/icd-10-cm/E11.65/"], ["/e11", "/icd-10-cm/E11/"],
    ["/J1100", "/hcpcs/J1100/"], ["/j11.00", "/icd-10-cm/J11.00/"], ["/53?from=card", "/modifiers/53/?from=card"]]) {
    const { response, location } = await get(path);
    assert.equal(response.status, 301, path);
    assert.equal(location, target, path);
    assert.match(response.headers.get("cache-control"), /public/);
  }
});

test("anything else goes on to the site (its file or the 404 page)", async () => {
  for (const path of ["/54", "/E99", "/", "/index.html", "/modifiers/53/", "/a/b", "/%2e%2e", `/${"E".repeat(40)}`, "/Ё11"]) {
    assert.ok((await get(path)).passed, path);
  }
  assert.ok((await get("/53", new BrokenStore())).passed, "a broken store fails open to the static site");
  const hanging = { get: () => new Promise(() => {}) };
  const started = Date.now();
  assert.ok((await get("/53", hanging, { timeout: 100 })).passed);
  assert.ok(Date.now() - started < 1000);
  for (const bad of [{ v: 1, suffix: "javascript:", folders: { x: ["53"] } }, { v: 1, suffix: "/", folders: { "//evil.example": ["53"] } },
    { v: 1, suffix: "/", folders: { modifiers: ["53/../../x"] } }, { v: 2, suffix: "/", folders: { modifiers: ["53"] } }]) {
    assert.ok((await get("/53", new MemoryStore({ "shortlinks/53": bad }))).passed, `a shard we did not write is ignored: ${JSON.stringify(bad)}`);
  }
});

test("each shard is read once per isolate", async () => {
  const store = new MemoryStore(SHARDS);
  let reads = 0;
  const counting = { get: (...args) => { reads += 1; return store.get(...args); } };
  const cache = new Map();
  for (const path of ["/53", "/53/", "/e1165", "/E11", "/e11.6"]) await get(path, counting, { cache });
  assert.equal(reads, 2);
  assert.equal(spellingOf("/e1165/"), "e1165");
  assert.equal(findIn(checkShard(SHARDS["shortlinks/J1"]), "J1.100"), "hcpcs/J1100/");
});

// The browser script in a vm: a document with a script loader that answers from SHARDS.
function browser(href, { fromPath = true, suffix = "/" } = {}) {
  const source = readFileSync(new URL("../../overrides/assets/javascripts/shortlinks.js", import.meta.url), "utf8");
  const root = href.startsWith("file:") ? "file:///offline/site/" : "https://codes.example/";
  const replaced = [];
  const window = {};
  const document = {
    currentScript: { src: `${root}assets/javascripts/shortlinks.js`, hasAttribute: (n) => n === "data-from-path" && fromPath },
    createElement: () => ({}),
    head: { appendChild: (tag) => {
      const name = tag.src.slice(`${root}shortlinks/`.length).replace(/\.js$/, "");
      const data = SHARDS[`shortlinks/${name}`] && { ...SHARDS[`shortlinks/${name}`], suffix };
      setTimeout(() => {
        if (!data) return tag.onerror();
        window.__shortlinkShard(name, data);
        tag.onload();
      }, 0);
    } },
  };
  const url = new URL(href);
  const location = { href, protocol: url.protocol, pathname: url.pathname, search: url.search, hash: url.hash,
    replace: (to) => replaced.push(to) };
  window.window = window;
  window.document = document;
  window.location = location;
  window.Promise = Promise;
  vm.runInNewContext(source, window);
  return { replaced, window };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test("the 404 page resolves the address in the browser; offline pages resolve ?go=", async () => {
  let b = browser("https://codes.example/e1165");
  await settle();
  assert.deepEqual(b.replaced, ["https://codes.example/icd-10-cm/E11.65/"]);
  b = browser("https://codes.example/nope");
  await settle();
  assert.deepEqual(b.replaced, []);
  b = browser("https://codes.example/modifiers/53/", { fromPath: true });
  await settle();
  assert.deepEqual(b.replaced, [], "only a one-segment address is a short link");
  b = browser("https://codes.example/53", { fromPath: false });
  await settle();
  assert.deepEqual(b.replaced, [], "pages other than the 404 page never read their own address");
  b = browser("file:///offline/site/index.html?go=e11.65", { suffix: ".html" });
  await settle();
  assert.deepEqual(b.replaced, ["file:///offline/site/icd-10-cm/E11.65.html"]);
  b = browser("file:///offline/site/404.html#go=53", { suffix: ".html" });
  await settle();
  assert.deepEqual(b.replaced, ["file:///offline/site/modifiers/53.html"]);
  let answer;
  b.window.OCR.shortlinks.resolve("J1100", (url) => { answer = url; });
  await settle();
  assert.equal(answer, "file:///offline/site/hcpcs/J1100.html");
});

test("the browser script uses the shared shard loader (core/shards.js) when the page has it", async () => {
  const source = readFileSync(new URL("../../overrides/assets/javascripts/shortlinks.js", import.meta.url), "utf8");
  const created = [];
  const window = { Promise, OCR: { shards: { create: (options) => {
    created.push(options);
    return { load: (name) => (SHARDS[`shortlinks/${name}`] ? Promise.resolve(SHARDS[`shortlinks/${name}`]) : Promise.reject(new Error("no"))) };
  } } } };
  const replaced = [];
  window.document = { currentScript: { src: "https://codes.example/assets/javascripts/shortlinks.js", hasAttribute: () => true } };
  window.location = { href: "https://codes.example/E1165/", protocol: "https:", pathname: "/E1165/", search: "", hash: "", replace: (to) => replaced.push(to) };
  window.window = window;
  vm.runInNewContext(source, window);
  await settle();
  assert.deepEqual(created.map((o) => [o.callback, o.base]), [["__shortlinkShard", "https://codes.example/shortlinks/"]]);
  assert.deepEqual(replaced, ["https://codes.example/icd-10-cm/E11.65/"]);
  let answer = "unset";
  window.OCR.shortlinks.resolve("Q99", (url) => { answer = url; });
  await settle();
  assert.equal(answer, null, "a shard that does not load resolves nothing");
});
