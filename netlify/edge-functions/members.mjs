// Members gate for code and modifier pages (logic in ../lib/gate.mjs, tested under Node).
// Pages without member sections are passed through untouched and stay cacheable.
import { getDeployStore, getStore } from "@netlify/blobs";
import { gate } from "../lib/gate.mjs";

export default async (request, context) => {
  let stores;
  try {
    stores = {
      pages: getDeployStore(),
      meters: getStore({ name: "meters", consistency: "strong" }),
    };
  } catch (err) {
    console.error(`members gate: no blob store: ${err}`);
    return context.next(); // the static page carries teasers only
  }
  return gate(request, context, { ...stores, secret: Netlify.env.get("SESSION_SECRET") });
};

// Routes: one per page that carries member sections, declared by the build in
// .netlify/v1/config.json (generator/routes.py), so every other page is served without a call.
export const config = {
  method: "GET",
  onError: "bypass", // if this function fails, Netlify serves the static page: teasers only
};
