// Short links: /53, /E11.65, /e1165 -> the code's page (logic in ../lib/shortlinks.mjs). Its
// routes are declared by the build in .netlify/v1/config.json (generator/routes.py): one
// pattern for one-segment paths shaped like a code, instead of a redirect rule per code.
import { getDeployStore } from "@netlify/blobs";
import { shortlink } from "../lib/shortlinks.mjs";

const cache = new Map(); // shard name -> checked shard, for the life of this isolate (one deploy)

export default async (request, context) => {
  let store;
  try {
    store = getDeployStore();
  } catch (err) {
    console.error(`short links: no blob store: ${err}`);
    return context.next(); // the 404 page resolves the link in the browser
  }
  return shortlink(request, context, { store, cache });
};

export const config = {
  method: ["GET", "HEAD"],
  onError: "bypass",
  cache: "manual", // the 301s carry Cache-Control, so Netlify's cache answers repeats
};
