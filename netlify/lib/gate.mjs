// The members gate, as the edge function runs it: find the page's member sections, decide what
// the reader may see, splice or keep the teasers, add the meter banner, and make sure no shared
// cache keeps the personalised page. `stores.pages` is the deploy's blob store (written by the
// build), `stores.meters` the site-wide store of accounts' records and meter ledgers
// (./ledger.mjs); both have the Netlify Blobs interface get(key, { type: "json" }) and
// setJSON(key, value, { onlyIfNew }) -> { modified }. Every store call has a deadline: when the
// store is slow or down the reader gets the teasers, never a hanging page.
import { bannerFor, renderBanner, unavailableBanner } from "./banner.mjs";
import { expireCookie, parseCookies, serializeCookie } from "./cookies.mjs";
import { isCrawler } from "./crawler.mjs";
import { guestView } from "./guest.mjs";
import { ledgerPrefix, meterPage } from "./ledger.mjs";
import { ALLOWANCE, current, monthOf, view } from "./meter.mjs";
import { decodeMeter, encodeMeter, newGuestId } from "./meter-cookie.mjs";
import { blobKey, canonicalPage, sectionsOf } from "./pages.mjs";
import { COOKIES, identify } from "./reader.mjs";
import { countTeasers, insertBanner, spliceSections } from "./splice.mjs";
import { withTimeout } from "./timeout.mjs";

const METER_COOKIE_AGE = 40 * 24 * 3600; // outlives a month; the month inside decides validity
export const BLOB_TIMEOUT_MS = 1500;  // reading a page's sections
export const METER_TIMEOUT_MS = 3000; // identifying the reader and metering the view

export async function gate(request, context, { pages, meters, secret, now = new Date(),
  blobTimeout = BLOB_TIMEOUT_MS, meterTimeout = METER_TIMEOUT_MS }) {
  if (request.method !== "GET") return context.next();
  const page = canonicalPage(new URL(request.url).pathname);
  if (page === null || isCrawler(request.headers.get("user-agent"))) return context.next();
  let sections;
  try {
    sections = sectionsOf(await withTimeout(pages.get(blobKey(page), { type: "json" }), blobTimeout, "reading member sections"));
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
    const { tier, decision } = await withTimeout(meter(page, parseCookies(request.headers.get("cookie")),
      { meters, secret, now, setCookies, ip: context.ip }), meterTimeout, "metering the view");
    const shown = decision.unlocked ? spliceSections(html, sections) : html;
    body = insertBanner(shown, renderBanner(bannerFor(tier, decision), page));
  } catch (err) {
    console.error(`members gate: ${page}: ${err}`);
    setCookies.length = 0;
    body = insertBanner(html, renderBanner(unavailableBanner()));
  }
  return personalised(response, body, setCookies);
}

async function meter(page, cookies, { meters, secret, now, setCookies, ip }) {
  const month = monthOf(now);
  const reader = await identify(cookies, secret, meters, now);
  if (reader.reason && cookies.has(COOKIES.session)) {
    setCookies.push(expireCookie(COOKIES.session), expireCookie(COOKIES.hint, { httpOnly: false }));
  }
  const guestCookie = await decodeMeter(cookies.get(COOKIES.meter), secret);
  if (reader.tier === "subscriber") return { tier: reader.tier, decision: view(null, page, "subscriber", month) };
  const guestPages = guestCookie.ok ? current(guestCookie.state, month).pages : [];

  if (reader.tier === "registered") {
    // The guest view is one of the six: it takes a slot of the account's ledger, as do pages an
    // account record from before the ledger lists for this month.
    const earlier = current(reader.record?.state, month).pages;
    const decision = await meterPage(meters, ledgerPrefix(month, "users", reader.sub), ALLOWANCE.registered,
      page, [...earlier, ...guestPages]);
    if (guestCookie.ok) setCookies.push(expireCookie(COOKIES.meter));
    return { tier: "registered", decision };
  }

  const decision = await guestView(page, guestCookie, { meters, secret, month, ip });
  if (decision.counted) {
    const guest = guestCookie.ok ? guestCookie.guest : newGuestId();
    const state = { month, pages: decision.pages };
    const value = await encodeMeter({ guest, seq: state.pages.length, state }, secret);
    setCookies.push(serializeCookie(COOKIES.meter, value, { maxAge: METER_COOKIE_AGE }));
  }
  return { tier: "guest", decision };
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
