#!/usr/bin/env node
// `make preview`: the built site on http://127.0.0.1:8787 through the same edge function and
// auth function code that Netlify runs, with local stand-ins for Netlify's runtime (adapter.mjs)
// and for Netlify Identity (identity.mjs). A local stand-in for Netlify, not a production server.
//
//   node tools/preview/server.mjs [--site site] [--port 8787] [--state .netlify/preview]
//                                 [--blobs DIR] [--subscriber EMAIL]...
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installEnv, loadHandlers, matching, runEdge, startBlobs, staticServer } from "./adapter.mjs";
import { localIdentity } from "./identity.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const HOST = "127.0.0.1"; // loopback only: accounts here are not protected for a network
const MAX_BODY = 65536;

function parseArgs(argv) {
  const opts = { site: "site", port: 8787, state: ".netlify/preview", blobs: null, subscribers: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--site") opts.site = value;
    else if (flag === "--port") opts.port = Number(value);
    else if (flag === "--state") opts.state = value;
    else if (flag === "--blobs") opts.blobs = value;
    else if (flag === "--subscriber") opts.subscribers.push(value.toLowerCase());
    else throw new Error(`unknown option ${flag}`);
    i++;
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error("--port must be 0-65535");
  opts.site = path.resolve(opts.site);
  opts.blobs = path.resolve(opts.blobs ?? path.join(path.dirname(opts.site), ".netlify", "v1", "blobs", "deploy"));
  opts.state = path.resolve(opts.state);
  return opts;
}

async function toRequest(req, origin) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("request body too large");
    chunks.push(chunk);
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = !["GET", "HEAD"].includes(req.method);
  return new Request(new URL(req.url, origin), { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
}

async function send(res, response) {
  const headers = {};
  response.headers.forEach((value, name) => { if (name !== "set-cookie") headers[name] = value; });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.state, { recursive: true });
  const secret = process.env.SESSION_SECRET || randomBytes(32).toString("base64url");
  installEnv({ SESSION_SECRET: secret });
  const { uploaded } = await startBlobs({ stateDir: opts.state, deployBlobsDir: opts.blobs });
  const edge = await loadHandlers(path.join(ROOT, "netlify", "edge-functions"));
  const functions = await loadHandlers(path.join(ROOT, "netlify", "functions"));
  const serveStatic = staticServer(opts.site);
  let identity;

  const server = http.createServer(async (req, res) => {
    try {
      const request = await toRequest(req, `http://${HOST}:${server.address().port}`);
      const { pathname } = new URL(request.url);
      const fn = matching(functions, request);
      const edgeFn = matching(edge, request);
      let response;
      if (pathname.startsWith("/.netlify/identity/")) response = await identity(request);
      else if (fn) response = await fn.handler(request, {});
      else if (edgeFn) response = await runEdge(edgeFn, request, serveStatic);
      else response = await serveStatic(request);
      await send(res, response);
    } catch (err) {
      // Netlify would show its own error page; here the error is printed so it is not missed.
      console.error(`preview: ${req.method} ${req.url}: ${err.stack ?? err}`);
      res.writeHead(500, { "content-type": "text/plain" }).end("preview error (see the terminal)");
    }
  });
  server.listen(opts.port, HOST, () => {
    const origin = `http://${HOST}:${server.address().port}`;
    identity = localIdentity({ stateDir: opts.state, subscribers: opts.subscribers, origin });
    console.log([
      `Local preview of ${opts.site} at ${origin}/`,
      "This is a LOCAL STAND-IN for Netlify: the real edge function and auth function code run",
      "under Node with a local blob server and a local stand-in for Netlify Identity.",
      `${uploaded} member blob(s) uploaded from ${opts.blobs}; accounts and meters in ${opts.state}.`,
      process.env.SESSION_SECRET ? "Session secret from SESSION_SECRET." : "Session secret: random for this run (sessions end when it stops).",
      opts.subscribers.length ? `Subscribers: ${opts.subscribers.join(", ")}` : "Add --subscriber EMAIL to give an account the subscriber role.",
    ].join("\n"));
  });
}

main().catch((err) => {
  console.error(`preview: ${err.message}`);
  process.exit(1);
});
