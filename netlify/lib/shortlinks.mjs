// Short links at the edge: "/53", "/E11.65", "/e1165" answer 301 to the code's page. The
// lookup is the build's (generator/shortlinks.py): one shard per first two characters, in the
// deploy's blob store under "shortlinks/<KK>", each { v, suffix, folders: { folder: [codes] } }.
// The same resolution runs in the browser (overrides/assets/javascripts/shortlinks.js).
import { withTimeout } from "./timeout.mjs";

export const SHAPE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/;
export const BLOB_TIMEOUT_MS = 1500;

/** { exact, bare } maps of a shard: upper-case spelling -> page path, first listed wins. */
export function indexShard(shard) {
  const exact = new Map();
  const bare = new Map();
  if (!shard || shard.v !== 1 || typeof shard.folders !== "object" || !["/", ".html"].includes(shard.suffix)) return null;
  for (const [folder, codes] of Object.entries(shard.folders)) {
    if (!Array.isArray(codes)) return null;
    for (const code of codes) {
      const url = `${folder}/${code}${shard.suffix}`;
      const upper = String(code).toUpperCase();
      if (!exact.has(upper)) exact.set(upper, url);
      if (!bare.has(upper.replaceAll(".", ""))) bare.set(upper.replaceAll(".", ""), url);
    }
  }
  return { exact, bare };
}

/** The page path (no leading slash) a spelling leads to, or null. */
export function findIn(index, text) {
  const upper = text.toUpperCase();
  const bare = upper.replaceAll(".", "");
  return index.exact.get(upper) ?? index.exact.get(bare) ?? index.bare.get(bare) ?? null;
}

/** The shard a spelling is in: its first two characters, upper case (as shard_of in Python). */
export function shardOf(text) {
  return text.slice(0, 2).toUpperCase();
}

/** The spelling a request path asks for ("/e1165/" -> "e1165"), or null. */
export function spellingOf(pathname) {
  const text = pathname.replace(/^\//, "").replace(/\/$/, "");
  return SHAPE.test(text) ? text : null;
}

export async function shortlink(request, context, { store, cache = new Map(), timeout = BLOB_TIMEOUT_MS }) {
  const url = new URL(request.url);
  const text = spellingOf(url.pathname);
  if (text === null) return context.next();
  const key = `shortlinks/${shardOf(text)}`;
  if (!cache.has(key)) {
    let shard = null;
    try {
      shard = indexShard(await withTimeout(store.get(key, { type: "json" }), timeout, `reading ${key}`));
    } catch (err) {
      console.error(`short links: ${err}`);
      return context.next(); // not cached: the next request tries again
    }
    cache.set(key, shard);
  }
  const index = cache.get(key);
  const target = index && findIn(index, text);
  if (!target || `/${target}` === url.pathname) return context.next();
  return new Response(null, { status: 301, headers: { location: `/${target}${url.search}`, "cache-control": "public, max-age=3600" } });
}
