#!/usr/bin/env node
// `make preview`: the built site on http://127.0.0.1:8787 through the same edge function and
// auth function code that Netlify runs, with local stand-ins for Netlify's runtime (adapter.mjs)
// and for Netlify Identity (identity.mjs). A local stand-in for Netlify, not a production server.
//
//   node tools/preview/server.mjs [--site site] [--port 8787] [--state .netlify/preview]
//                                 [--blobs DIR] [--config .netlify/v1/config.json]
//                                 [--subscriber EMAIL]...
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installEnv, loadDeclarations, loadHandlers, matching, runEdge, startBlobs, staticServer } from "./adapter.mjs";
import { errorResponse, toRequest } from "./http.mjs";
import { localIdentity } from "./identity.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const HOST = "127.0.0.1"; // loopback only: accounts here are not protected for a network

function parseArgs(argv) {
  const opts = { site: "site", port: 8787, state: ".netlify/preview", blobs: null, config: null, subscribers: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--site") opts.site = value;
    else if (flag === "--port") opts.port = Number(value);
    else if (flag === "--state") opts.state = value;
    else if (flag === "--blobs") opts.blobs = value;
    else if (flag === "--config") opts.config = value;
    else if (flag === "--subscriber") opts.subscribers.push(value.toLowerCase());
    else throw new Error(`unknown option ${flag}`);
    i++;
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error("--port must be 0-65535");
  opts.site = path.resolve(opts.site);
  opts.blobs = path.resolve(opts.blobs ?? path.join(path.dirname(opts.site), ".netlify", "v1", "blobs", "deploy"));
  opts.config = path.resolve(opts.config ?? path.join(path.dirname(opts.site), ".netlify", "v1", "config.json"));
  opts.state = path.resolve(opts.state);
  return opts;
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
  const env = { SESSION_SECRET: secret };
  installEnv(env);
  const { uploaded } = await startBlobs({ stateDir: opts.state, deployBlobsDir: opts.blobs });
  const declarations = loadDeclarations(opts.config);
  const edge = await loadHandlers(path.join(ROOT, "netlify", "edge-functions"), declarations);
  const functions = await loadHandlers(path.join(ROOT, "netlify", "functions"));
  const serveStatic = staticServer(opts.site);
  let identity;

  const server = http.createServer(async (req, res) => {
    const origin = `http://${HOST}:${server.address().port}`;
    let response;
    try {
      const request = await toRequest(req, origin);
      const { pathname } = new URL(request.url);
      const fn = matching(functions, request);
      const edgeFn = matching(edge, request);
      const client = { ip: req.socket.remoteAddress, site: { url: origin } };
      if (pathname.startsWith("/.netlify/identity/")) response = await identity(request);
      else if (fn) response = await fn.handler(request, client);
      else if (edgeFn) response = await runEdge(edgeFn, request, serveStatic, client);
      else response = await serveStatic(request);
    } catch (err) {
      // Netlify would show its own error page; here an unexpected error is printed so it is not missed.
      if (!err.status) console.error(`preview: ${req.method} ${req.url}: ${err.stack ?? err}`);
      response = errorResponse(err);
      req.resume();
    }
    await send(res, response).catch((err) => console.error(`preview: sending ${req.url}: ${err}`));
  });
  server.listen(opts.port, HOST, () => {
    const origin = `http://${HOST}:${server.address().port}`;
    identity = localIdentity({ stateDir: opts.state, subscribers: opts.subscribers, origin });
    env.IDENTITY_URL = `${origin}/.netlify/identity`; // as a deployer would set it: configuration
    console.log([
      `Local preview of ${opts.site} at ${origin}/`,
      "This is a LOCAL STAND-IN for Netlify: the real edge function and auth function code run",
      "under Node with a local blob server and a local stand-in for Netlify Identity.",
      `${uploaded} blob(s) uploaded from ${opts.blobs}; accounts and meters in ${opts.state}.`,
      declarations.length ? `Edge routes from ${opts.config}: ${declarations.length} declaration(s).`
        : `No edge routes in ${opts.config}: member sections and short links are off (build the site first).`,
      process.env.SESSION_SECRET ? "Session secret from SESSION_SECRET." : "Session secret: random for this run (sessions end when it stops).",
      opts.subscribers.length ? `Subscribers: ${opts.subscribers.join(", ")}` : "Add --subscriber EMAIL to give an account the subscriber role.",
    ].join("\n"));
  });
}

main().catch((err) => {
  console.error(`preview: ${err.message}`);
  process.exit(1);
});
