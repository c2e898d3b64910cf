// Short links at the edge: "/53", "/E11.65", "/e1165" answer 301 to the code's page. The
// lookup is the build's (generator/shortlinks.py): one shard per first two characters, in the
// deploy's blob store under "shortlinks/<KK>", each { v, suffix, folders: { folder: [codes] } }.
// The same resolution runs in the browser (overrides/assets/javascripts/shortlinks.js).
import { withTimeout } from "./timeout.mjs";

export const SHAPE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/;
export const BLOB_TIMEOUT_MS = 1500;

/** The shard if it is one the build wrote ({ v: 1, suffix, folders: { folder: [codes] } }), else null. */
export function checkShard(shard) {
  if (!shard || shard.v !== 1 || !["/", ".html"].includes(shard.suffix) || typeof shard.folders !== "object") return null;
  const ok = Object.entries(shard.folders).every(([folder, codes]) => /^[a-z0-9-]+$/.test(folder)
    && Array.isArray(codes) && codes.every((c) => typeof c === "string" && /^[A-Za-z0-9.-]+$/.test(c)));
  return ok ? shard : null;
}

// `code` with its dots taken out equals `bare`, compared without building a string.
function sameWithoutDots(code, bare) {
  let j = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 46) continue;
    if (j >= bare.length || (c >= 97 && c <= 122 ? c - 32 : c) !== bare.charCodeAt(j)) return false;
    j += 1;
  }
  return j === bare.length;
}

/**
 * The page path (no leading slash) a spelling leads to, or null: the code published in that
 * spelling (any case), else the code published as the spelling without its dots, else the code
 * that is the spelling once both lose their dots; the first listed wins. One pass over the
 * shard, no index to build: a cold edge isolate answers in well under a millisecond.
 */
export function findIn(shard, text) {
  const upper = text.toUpperCase();
  const bare = upper.replaceAll(".", "");
  let asBare = null;
  let dotless = null;
  for (const [folder, codes] of Object.entries(shard.folders)) {
    for (const code of codes) {
      const published = code.toUpperCase();
      if (published === upper) return `${folder}/${code}${shard.suffix}`;
      if (asBare === null && published === bare) asBare = `${folder}/${code}${shard.suffix}`;
      else if (dotless === null && sameWithoutDots(published, bare)) dotless = `${folder}/${code}${shard.suffix}`;
    }
  }
  return asBare ?? dotless;
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
      shard = checkShard(await withTimeout(store.get(key, { type: "json" }), timeout, `reading ${key}`));
    } catch (err) {
      console.error(`short links: ${err}`);
      return context.next(); // not cached: the next request tries again
    }
    cache.set(key, shard);
  }
  const shard = cache.get(key);
  const target = shard && findIn(shard, text);
  if (!target || `/${target}` === url.pathname) return context.next();
  return new Response(null, { status: 301, headers: { location: `/${target}${url.search}`, "cache-control": "public, max-age=3600" } });
}
