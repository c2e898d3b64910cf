// Which pages are gated and where their member sections are stored. A page is named by its
// canonical path ("/modifiers/53/"); "/modifiers/53/index.html" is the same page and meters the
// same. The build writes the page's sections to the deploy store under "members/modifiers/53".

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/;

/** The canonical path of a page request ("/<folder>/<code>/"), or null for anything else. */
export function canonicalPage(pathname) {
  if (typeof pathname !== "string" || pathname.length > 300) return null;
  const path = pathname.endsWith("/index.html") ? pathname.slice(0, -"index.html".length) : pathname;
  if (!path.startsWith("/") || !path.endsWith("/")) return null;
  const segments = path.slice(1, -1).split("/");
  if (segments.length !== 2 || !segments.every((s) => SEGMENT.test(s) && !s.includes(".."))) return null;
  return path;
}

export function blobKey(page) {
  return `members${page.slice(0, -1)}`;
}

/** The section bodies of a stored blob, or null when it is not one the build wrote. */
export function sectionsOf(blob) {
  if (!blob || typeof blob !== "object" || !Array.isArray(blob.sections)) return null;
  return blob.sections.every((s) => typeof s === "string") ? blob.sections : null;
}
