// The members gate, as the edge function runs it: find the page's member sections, decide what
// the reader may see, splice or keep the teasers, add the meter banner, and make sure no shared
// cache keeps the personalised page. `stores.pages` is the deploy's blob store (written by the
// build), `stores.meters` the site-wide store of meter records; both have the Netlify Blobs
// interface get(key, { type: "json" }) and setJSON(key, value).
import { bannerFor, renderBanner, unavailableBanner } from "./banner.mjs";
import { expireCookie, parseCookies, serializeCookie } from "./cookies.mjs";
import { ALLOWANCE, merge, monthOf, view } from "./meter.mjs";
import { decodeMeter, encodeMeter, newGuestId, reconcile } from "./meter-cookie.mjs";
import { blobKey, canonicalPage, sectionsOf } from "./pages.mjs";
import { COOKIES, identify, userKey } from "./reader.mjs";
import { countTeasers, insertBanner, spliceSections } from "./splice.mjs";

const METER_COOKIE_AGE = 40 * 24 * 3600; // outlives a month; the month inside decides validity

// Known race: a meter record is read, then written, with no conditional write (the pinned
// @netlify/blobs 8.2.0 has none), so N requests for N different pages sent at the same instant
// all see the same record and all unlock. Measured on the preview: 9 of 9 pages unlocked for an
// account allowed 6. The fix: @netlify/blobs 10 (`setJSON(key, value, { onlyIfNew: true })`,
// which its local BlobsServer also enforces), one key per unlocked page slot
// ("users/<sub>/<month>/<0..5>"), a view unlocking only if its write to the next free slot
// succeeds and retrying on the following slot if another request took it.

export async function gate(request, context, { pages, meters, secret, now = new Date() }) {
  if (request.method !== "GET") return context.next();
  const page = canonicalPage(new URL(request.url).pathname);
  if (page === null) return context.next();
  let sections;
  try {
    sections = sectionsOf(await pages.get(blobKey(page), { type: "json" }));
  } catch (err) {
    console.error(`members gate: cannot read ${blobKey(page)}: ${err}`);
    return context.next(); // the static page shows only teasers: failing here leaks nothing
  }
  if (sections === null) return context.next();

  const response = await context.next(withoutConditionals(request));
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !type.startsWith("text/html")) return response;
  const html = await response.text();
  const setCookies = [];
  let body;
  try {
    // A page and its blob come from the same build; if they disagree (a template changed the
    // teaser markup) nobody is charged a view for sections that cannot be shown.
    if (countTeasers(html) !== sections.length) throw new Error(`page has ${countTeasers(html)} teasers, blob has ${sections.length} sections`);
    const { tier, decision } = await meter(page, parseCookies(request.headers.get("cookie")),
      { meters, secret, now, setCookies });
    const shown = decision.unlocked ? spliceSections(html, sections) : html;
    body = insertBanner(shown, renderBanner(bannerFor(tier, decision)));
  } catch (err) {
    console.error(`members gate: ${page}: ${err}`);
    setCookies.length = 0;
    body = insertBanner(html, renderBanner(unavailableBanner()));
  }
  return personalised(response, body, setCookies);
}

async function meter(page, cookies, { meters, secret, now, setCookies }) {
  const month = monthOf(now);
  const reader = await identify(cookies, secret, meters, now);
  if (reader.reason && cookies.has(COOKIES.session)) {
    setCookies.push(expireCookie(COOKIES.session), expireCookie(COOKIES.hint, { httpOnly: false }));
  }
  const guestCookie = await decodeMeter(cookies.get(COOKIES.meter), secret);
  if (reader.tier === "subscriber") return { tier: reader.tier, decision: view(null, page, "subscriber", month) };

  if (reader.tier === "registered") {
    let state = reader.record?.state ?? null;
    if (guestCookie.ok) {
      state = merge(state, guestCookie.state, "registered", month);
      setCookies.push(expireCookie(COOKIES.meter));
    }
    const decision = view(state, page, "registered", month);
    if (decision.counted || guestCookie.ok) {
      await meters.setJSON(userKey(reader.sub), { ...reader.record, state: decision.state });
    }
    return { tier: "registered", decision };
  }

  let guest = newGuestId();
  let seq = 0;
  let state = null;
  if (guestCookie.ok) {
    guest = guestCookie.guest;
    const record = await meters.get(guestKey(month, guest), { type: "json" });
    ({ seq, state } = reconcile(guestCookie, record));
  }
  const decision = view(state, page, "guest", month);
  if (decision.counted) {
    seq += 1;
    await meters.setJSON(guestKey(month, guest), { seq, state: decision.state });
    const value = await encodeMeter({ guest, seq, state: decision.state }, secret);
    setCookies.push(serializeCookie(COOKIES.meter, value, { maxAge: METER_COOKIE_AGE }));
  }
  return { tier: "guest", decision };
}

// Guest records are filed by month so that old months can be deleted by prefix.
export function guestKey(month, guest) {
  return `guests/${month}/${guest}`;
}

// The page must come back whole (200), not as "304 Not Modified" for the browser's cached copy
// of a differently personalised version.
function withoutConditionals(request) {
  const headers = new Headers(request.headers);
  for (const name of ["if-none-match", "if-modified-since", "if-match", "if-range", "range"]) headers.delete(name);
  return new Request(request, { headers });
}

function personalised(response, body, setCookies) {
  const headers = new Headers(response.headers);
  for (const name of ["etag", "last-modified", "content-length", "content-encoding", "age"]) headers.delete(name);
  headers.set("cache-control", "private, no-store");
  headers.set("vary", "Cookie");
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return new Response(body, { status: 200, headers });
}

export { ALLOWANCE };
