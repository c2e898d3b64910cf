// The parts of Netlify's runtime that our edge function and function use, for Node: the
// `Netlify.env` global, route matching from each module's `config`, `context.next()` for edge
// functions, a static file server for the publish directory, and the Netlify Blobs environment
// pointed at a local blob server (the real @netlify/blobs client and its own BlobsServer, with
// conditional writes made atomic as on Netlify).
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getDeployStore, setEnvironmentContext } from "@netlify/blobs";
import { BlobsServer } from "@netlify/blobs/server";

export function installEnv(env) {
  globalThis.Netlify = {
    env: {
      get: (name) => env[name],
      has: (name) => name in env,
      set: (name, value) => { env[name] = String(value); },
      delete: (name) => { delete env[name]; },
      toObject: () => ({ ...env }),
    },
  };
}

/**
 * @netlify/blobs' own local server checks a conditional write's precondition and then writes,
 * with awaits in between, so create-only writes to one key sent together all succeed (9 of 9
 * with 10.7.13). Netlify's service checks and writes in one atomic step, which the meter ledger
 * relies on; this server gets the same by running the writes to one key one after another.
 */
export class LocalBlobsServer extends BlobsServer {
  #writing = new Map(); // file of the key -> the last write queued for it

  async put(req) {
    const { dataPath } = this.getLocalPaths(new URL(req.url ?? "", this.address));
    if (!dataPath) return super.put(req);
    const write = (this.#writing.get(dataPath) ?? Promise.resolve()).then(() => super.put(req));
    const settled = write.catch(() => {});
    this.#writing.set(dataPath, settled);
    settled.then(() => { if (this.#writing.get(dataPath) === settled) this.#writing.delete(dataPath); });
    return write;
  }
}

/** Start a local blob server and upload the build's deploy blobs to it, as a Netlify deploy does. */
export async function startBlobs({ stateDir, deployBlobsDir }) {
  const token = createHash("sha256").update(String(Math.random())).digest("hex");
  const server = new LocalBlobsServer({ directory: path.join(stateDir, "blobs"), token });
  const { port } = await server.start();
  const url = `http://127.0.0.1:${port}`;
  setEnvironmentContext({ edgeURL: url, uncachedEdgeURL: url, token, siteID: "localpreview",
    deployID: "localpreview", primaryRegion: "us-east-2" });
  const store = getDeployStore();
  let uploaded = 0;
  for (const file of walk(deployBlobsDir)) {
    const key = path.relative(deployBlobsDir, file).split(path.sep).join("/");
    if (path.basename(file).startsWith("$")) continue; // metadata files, as Netlify skips them
    await store.set(key, await readFile(file));
    uploaded += 1;
  }
  return { server, uploaded };
}

function* walk(dir) {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}

/**
 * The edge function declarations the build wrote for Netlify's Frameworks API
 * (`.netlify/v1/config.json`, key `edge_functions`), or [] when there is no such file.
 */
export function loadDeclarations(file) {
  let text;
  try { text = readFileSync(file, "utf8"); } catch { return []; }
  const declared = JSON.parse(text).edge_functions ?? [];
  if (!Array.isArray(declared)) throw new Error(`${file}: edge_functions must be a list`);
  return declared;
}

/**
 * Every module in `dir` with its handler and its routes, merged as Netlify merges them: the
 * declarations for a function (from `declarations`) replace the paths of its own `config`;
 * `excludedPath` and `method` of its `config` apply to all its routes.
 */
export async function loadHandlers(dir, declarations = []) {
  const handlers = [];
  for (const name of readdirSync(dir).filter((n) => /\.m?js$/.test(n)).sort()) {
    const mod = await import(pathToFileURL(path.join(dir, name)).href);
    const fn = name.replace(/\.m?js$/, "");
    const own = declarations.filter((d) => d.function === fn);
    const routes = own.length ? own : [{ path: mod.config?.path }];
    const paths = routes.flatMap((d) => [...list(d.path).map(glob), ...list(d.pattern).map((p) => new RegExp(p))]);
    const excluded = [...list(mod.config?.excludedPath), ...routes.flatMap((d) => list(d.excludedPath))].map(glob)
      .concat([...list(mod.config?.excludedPattern), ...routes.flatMap((d) => list(d.excludedPattern))].map((p) => new RegExp(p)));
    const methods = [mod.config?.method ?? []].flat();
    handlers.push({ name, handler: mod.default, paths, excluded, methods, onError: mod.config?.onError });
  }
  return handlers;
}

const list = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

// Netlify route patterns: literal paths with "*" matching anything.
function glob(text) {
  return new RegExp(`^${text.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

export function matching(handlers, request) {
  const { pathname } = new URL(request.url);
  return handlers.find((h) => h.paths.some((p) => p.test(pathname)) && !h.excluded.some((p) => p.test(pathname))
    && (h.methods.length === 0 || h.methods.includes(request.method)));
}

/** Run an edge function; with onError "bypass", a failure serves the request as if it had none. */
export async function runEdge(fn, request, serve, client = {}) {
  try {
    return await fn.handler(request, edgeContext(request, serve, client));
  } catch (err) {
    if (fn.onError !== "bypass") throw err;
    console.error(`edge function ${fn.name} failed, bypassed: ${err.stack ?? err}`);
    return serve(request);
  }
}

/** The edge context our functions use: next() fetches the static page for the (new) request. */
export function edgeContext(request, serve, { ip = "127.0.0.1", site = {} } = {}) {
  return {
    next: (replacement) => serve(replacement ?? request),
    site: { name: "local preview", ...site },
    geo: {},
    ip,
  };
}

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
  ".xml": "application/xml", ".gz": "application/gzip", ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2", ".webmanifest": "application/manifest+json" };

/** Static files of the publish directory with ETags and 304s, like a CDN would answer. */
export function staticServer(siteDir) {
  const root = path.resolve(siteDir);
  return async function serve(request) {
    const url = new URL(request.url);
    let rel;
    try { rel = decodeURIComponent(url.pathname); } catch { return new Response("Bad request", { status: 400 }); }
    let file = path.resolve(root, `.${rel}`);
    if (file !== root && !file.startsWith(root + path.sep)) return new Response("Not found", { status: 404 });
    let stat = safeStat(file);
    if (stat?.isDirectory()) {
      if (!rel.endsWith("/")) return new Response(null, { status: 301, headers: { location: `${url.pathname}/${url.search}` } });
      file = path.join(file, "index.html");
      stat = safeStat(file);
    }
    if (!stat?.isFile()) {
      const notFound = path.join(root, "404.html");
      const body = safeStat(notFound) ? await readFile(notFound) : "Not found";
      return new Response(body, { status: 404, headers: { "content-type": TYPES[".html"] } });
    }
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = { etag, "cache-control": "public, max-age=0, must-revalidate",
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" };
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return new Response(request.method === "HEAD" ? null : await readFile(file), { status: 200, headers });
  };
}

function safeStat(file) {
  try { return statSync(file); } catch { return null; }
}
