// Ledger entries expire with their month: every key under "slots/<month>/" for a month before
// the current one is deleted (the address hashes of past months included). Run daily by the
// scheduled function netlify/functions/ledger-expiry.mjs. `store` has the Netlify Blobs
// interface list({ prefix, directories }) -> { blobs, directories } and delete(key).
import { monthOf } from "./meter.mjs";

const MONTH = /^slots\/(\d{4}-\d{2})$/;

/** Deletes past months' ledger entries; returns how many keys were deleted. */
export async function expireLedgers(store, now = new Date()) {
  const current = monthOf(now);
  const { directories } = await store.list({ prefix: "slots/", directories: true });
  let deleted = 0;
  for (const dir of directories) {
    const month = MONTH.exec(dir.replace(/\/$/, ""))?.[1];
    if (!month || month >= current) continue;
    const { blobs } = await store.list({ prefix: `slots/${month}/` });
    for (const { key } of blobs) {
      await store.delete(key);
      deleted += 1;
    }
  }
  return deleted;
}
