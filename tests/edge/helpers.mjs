// Shared test doubles: an in-memory store with the Netlify Blobs interface we use (conditional
// writes included), a fake edge context whose next() serves one HTML page, and a page shaped
// like the build's output.

export const SECRET = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

export class MemoryStore {
  /**
   * `latency` (ms, at most) delays every read and write by a random time, so that requests
   * sent together interleave as they do against a remote store.
   */
  constructor(entries = {}, { latency = 0 } = {}) {
    this.data = new Map(Object.entries(entries).map(([k, v]) => [k, JSON.stringify(v)]));
    this.writes = 0;
    this.latency = latency;
  }
  async get(key, { type } = {}) {
    await this.pause();
    if (!this.data.has(key)) return null;
    const text = this.data.get(key);
    return type === "json" ? JSON.parse(text) : text;
  }
  // Like Netlify Blobs: `onlyIfNew` makes the write a no-op, atomically, when the key exists.
  async setJSON(key, value, { onlyIfNew = false } = {}) {
    await this.pause();
    if (onlyIfNew && this.data.has(key)) return { modified: false };
    this.writes += 1;
    this.data.set(key, JSON.stringify(value));
    return { modified: true, etag: `"${this.writes}"` };
  }
  // Like Netlify Blobs' list(): with `directories`, keys below the next "/" are folded into it.
  async list({ prefix = "", directories = false } = {}) {
    const blobs = [];
    const dirs = new Set();
    for (const key of this.keys(prefix)) {
      const rest = key.slice(prefix.length);
      if (directories && rest.includes("/")) dirs.add(prefix + rest.slice(0, rest.indexOf("/")));
      else blobs.push({ key, etag: "x" });
    }
    return { blobs, directories: [...dirs] };
  }
  async delete(key) {
    this.data.delete(key);
  }
  keys(prefix = "") {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  pause() {
    return this.latency ? new Promise((resolve) => setTimeout(resolve, Math.random() * this.latency)) : Promise.resolve();
  }
}

export class BrokenStore {
  async get() { throw new Error("store down"); }
  async setJSON() { throw new Error("store down"); }
}

export function page(sections = ["Coding tips", "Payer notes"]) {
  const body = sections.map((title, i) => `<section class="member-section" data-member-section="${i + 1}">
<h3 id="s${i}">${title}</h3>
<p class="member-teaser">Register to view content</p>
</section>`).join("\n");
  return `<!doctype html><html><body><article class="md-content__inner md-typeset">
<h1>Modifier 53</h1>
<h2>Members-only sections</h2>
${body}
</article></body></html>`;
}

/** A context (client address `ip`, as Netlify's context.ip) whose next() answers like the CDN: the page with an ETag, 304 when it matches. */
export const IP = "198.51.100.7";

export function context(html = page(), { status = 200, type = "text/html; charset=utf-8", ip = IP } = {}) {
  const calls = [];
  return {
    calls,
    ip,
    next: async (request) => {
      calls.push(request);
      if (request?.headers.get("if-none-match") === '"v1"') return new Response(null, { status: 304 });
      return new Response(html, { status, headers: { "content-type": type, etag: '"v1"', "cache-control": "public, max-age=0" } });
    },
  };
}

export function request(path, cookies = {}, headers = {}) {
  const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ");
  return new Request(`https://codes.example${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

/** name -> value of the Set-Cookie headers of a response. */
export function setCookies(response) {
  const out = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split("; ");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = { value: pair.slice(eq + 1), attrs };
  }
  return out;
}

/** The text of a page with its tags taken out, as a reader sees it. */
export function plain(html) {
  return html.replace(/<[^>]+>/g, "");
}
