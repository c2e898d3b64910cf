// Daily: delete the meter ledgers of past months (logic in ../lib/expiry.mjs), so that no guest
// address hash outlives its month by more than a day.
import { getStore } from "@netlify/blobs";
import { expireLedgers } from "../lib/expiry.mjs";

export default async () => {
  const deleted = await expireLedgers(getStore({ name: "meters", consistency: "strong" }));
  console.log(`ledger expiry: ${deleted} entries of past months deleted`);
};

export const config = { schedule: "@daily" };
