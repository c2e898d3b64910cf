// Turning a Node request into a web Request the way Netlify's edge would accept it, refusing
// with a 4xx whatever Netlify would refuse: a request target that is not origin-form
// ("//127.0.0.1:9/x", "http://evil/x", "*"), a method the site does not serve (TRACE, CONNECT),
// a body over 64 KB. Nothing from the request can choose the origin handlers see.
export const MAX_BODY = 65536;
export const METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS"]);

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The path and query of an origin-form request target, or an HttpError(400). */
export function originForm(target) {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.length > 8192
    || /[\u0000-\u0020\u007f\\]/.test(target)) {
    throw new HttpError(400, "Bad request: the request target must be a path on this site");
  }
  return target;
}

export async function toRequest(req, origin) {
  if (!METHODS.has(req.method)) throw new HttpError(405, `Method ${req.method} is not allowed`);
  const target = originForm(req.url);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (!(declared <= MAX_BODY)) throw new HttpError(413, "Request body too large");
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, "Request body too large");
    chunks.push(chunk);
  }
  const headers = new Headers();
  try {
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  } catch {
    throw new HttpError(400, "Bad request: malformed header");
  }
  const url = new URL(target, origin);
  if (url.origin !== origin) throw new HttpError(400, "Bad request: the request target must be a path on this site");
  const hasBody = !["GET", "HEAD"].includes(req.method);
  return new Request(url, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined });
}

export function errorResponse(err) {
  const status = err instanceof HttpError ? err.status : 500;
  const text = err instanceof HttpError ? err.message : "preview error (see the terminal)";
  const headers = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
  if (status === 405) headers.allow = [...METHODS].join(", ");
  return new Response(`${text}\n`, { status, headers });
}
