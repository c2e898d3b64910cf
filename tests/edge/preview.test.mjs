// The local preview (tools/preview/server.mjs) as a client on the network sees it: only
// origin-form request targets, a 4xx for every malformed request, routes from the build's
// .netlify/v1/config.json, and a gate that answers at once below a gated page. The server
// runs under Node in a child process, over a tiny site made here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { page } from "./helpers.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function write(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function startPreview() {
  const dir = mkdtempSync(path.join(tmpdir(), "ocr-preview-"));
  write(path.join(dir, "site", "index.html"), "<!doctype html><title>home</title>");
  write(path.join(dir, "site", "404.html"), "<!doctype html><title>not found</title>");
  const routes = [];
  for (const code of ["24", "25", "26"]) {
    write(path.join(dir, "site", "modifiers", code, "index.html"), page());
    write(path.join(dir, ".netlify", "v1", "blobs", "deploy", "members", "modifiers", code),
      JSON.stringify({ v: 1, sections: [`<p>SECRET-${code}-1</p>`, `<p>SECRET-${code}-2</p>`] }));
    routes.push({ function: "members", path: `/modifiers/${code}/` });
  }
  write(path.join(dir, ".netlify", "v1", "blobs", "deploy", "shortlinks", "24"),
    JSON.stringify({ v: 1, suffix: "/", folders: { modifiers: ["24", "25", "26"] } }));
  routes.push({ function: "shortlinks", pattern: "^/[A-Za-z0-9][A-Za-z0-9.-]{0,15}/?$", excludedPattern: "\\.(html|xml|txt)$" });
  write(path.join(dir, ".netlify", "v1", "config.json"), JSON.stringify({ edge_functions: routes }));
  const child = spawn("node", [path.join(ROOT, "tools", "preview", "server.mjs"), "--site", path.join(dir, "site"),
    "--port", "0", "--state", path.join(dir, "state")], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on("data", (chunk) => { out += chunk; });
    child.on("exit", (code) => reject(new Error(`preview exited ${code}: ${out}`)));
  });
  return { origin, port: new URL(origin).port, stop: () => { child.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Send bytes as they are (fetch would normalise the request target) and read the status. */
function raw(port, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(text));
    let data = "";
    socket.on("data", (chunk) => { data += chunk; });
    socket.on("end", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on("error", reject);
  });
}

test("the preview refuses what Netlify would refuse, with a 4xx, and gates without hanging", async () => {
  const preview = await startPreview();
  try {
    const { origin, port } = preview;
    const form = "email=a%40example.org&password=pw123456";
    const post = (target) => `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n`
      + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`;
    // The request-target trick: a target naming another host must not reach the auth function.
    assert.equal(await raw(port, post(`//127.0.0.1:${port}/api/auth/login`)), 400);
    assert.equal(await raw(port, post(`http://127.0.0.1:1/api/auth/login`)), 400);
    assert.equal(await raw(port, `OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), 400);
    assert.equal(await raw(port, `TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), 405);
    assert.equal(await raw(port, post("/api/auth/login")), 401, "an origin-form login reaches the real function");

    const big = await fetch(`${origin}/api/auth/login`, { method: "POST", body: "x".repeat(70000), headers: { origin } });
    assert.equal(big.status, 413);
    for (const body of ["{not json", "[]", "null", ""]) {
      const bad = await fetch(`${origin}/.netlify/identity/signup`, { method: "POST", body, headers: { "content-type": "application/json" } });
      assert.equal(bad.status, 400, body);
    }

    const started = Date.now();
    const below = await fetch(`${origin}/modifiers/24/x/`);
    assert.equal(below.status, 404);
    await below.text();
    assert.ok(Date.now() - started < 3000, `below a gated page: ${Date.now() - started} ms`);

    const short = await fetch(`${origin}/24`, { redirect: "manual" });
    assert.equal(short.status, 301);
    assert.equal(short.headers.get("location"), "/modifiers/24/");
    assert.equal((await fetch(`${origin}/index.html`)).status, 200);
    assert.equal((await fetch(`${origin}/99`)).status, 404);

    // One address, no cookies: one full page, then teasers.
    const seen = [];
    for (const code of ["24", "25", "26", "24"]) seen.push((await (await fetch(`${origin}/modifiers/${code}/`)).text()).includes("SECRET-"));
    assert.deepEqual(seen, [true, false, false, true]);
  } finally {
    preview.stop();
  }
});
