// The meter ledger kept in the blob store: one key per page a reader unlocked this month,
// "<prefix>/0" .. "<prefix>/<allowance - 1>". A page is unlocked only by a create-only write
// (`setJSON(key, value, { onlyIfNew: true })`, an atomic conditional write on Netlify Blobs) to
// the first free slot; when another request took that slot first, the next slot is tried. A
// reader allowed 6 thus unlocks at most 6 pages however many requests arrive at once, which a
// read-then-write of one record could not promise: every request read the same record and each
// unlocked its page.

/** "slots/2026-11/users/<sub>": a month first, so that old months can be deleted by prefix. */
export function ledgerPrefix(month, kind, id) {
  return `slots/${month}/${kind}/${encodeURIComponent(id)}`;
}

/**
 * Meter `page` against the ledger at `prefix`: { unlocked, counted, remaining, pages }.
 * `carried` are pages this reader was already granted elsewhere (a guest's signed cookie, an
 * account's record from before the ledger); each takes a slot first, so that they count once.
 */
export async function meterPage(store, prefix, allowance, page, carried = []) {
  const keys = Array.from({ length: allowance }, (_, i) => `${prefix}/${i}`);
  const slots = await Promise.all(keys.map(async (key) => pageIn(await store.get(key, { type: "json" }))));
  let counted = false;
  let result = { unlocked: false };
  for (const wanted of [...carried, page]) {
    result = await claim(store, keys, slots, wanted);
    counted ||= result.counted;
  }
  const used = slots.filter((p) => p !== null).length;
  return { unlocked: result.unlocked, counted, remaining: Math.max(0, allowance - used),
    pages: slots.filter((p) => typeof p === "string" && p !== "") };
}

async function claim(store, keys, slots, page) {
  if (slots.includes(page)) return { unlocked: true, counted: false };
  for (let i = slots.indexOf(null); i !== -1; i = slots.indexOf(null)) {
    const mark = { page, claim: crypto.randomUUID() };
    const { modified } = await store.setJSON(keys[i], mark, { onlyIfNew: true });
    const stored = await store.get(keys[i], { type: "json" });
    // Read back: @netlify/blobs 10 reports any answer but 412 to a conditional write (a 500,
    // a 401) as `modified: true`; only our own mark in the slot means the view was granted.
    if (modified && stored?.claim === mark.claim) {
      slots[i] = page;
      return { unlocked: true, counted: true };
    }
    if (stored === null) throw new Error(`meter slot ${keys[i]} was not written`);
    slots[i] = pageIn(stored);
    // Two requests for the same page at once: the other one's slot is this page's too.
    if (slots[i] === page) return { unlocked: true, counted: false };
  }
  return { unlocked: false, counted: false };
}

// A slot holds { page, claim }; anything else there is taken but matches no page.
function pageIn(record) {
  if (record === null || record === undefined) return null;
  return typeof record.page === "string" ? record.page : "";
}
