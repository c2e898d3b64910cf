// Account actions: POST /api/auth/login, /register, /logout and GET /api/auth/confirm?token=
// (logic in ../lib/auth.mjs). Netlify Identity confirms who the user is, at IDENTITY_URL or at
// the site's own URL from Netlify's context; never at an address taken from the request.
import { getStore } from "@netlify/blobs";
import { handleAuth } from "../lib/auth.mjs";
import { identityUrl, netlifyIdentity } from "../lib/identity.mjs";

export default async (request, context) => {
  const url = identityUrl(Netlify.env.get("IDENTITY_URL"), context?.site?.url);
  if (url === null) console.error("auth: set IDENTITY_URL, or deploy on Netlify (context.site.url)");
  return handleAuth(request, {
    provider: netlifyIdentity({ url }),
    secret: Netlify.env.get("SESSION_SECRET"),
    meters: getStore({ name: "meters", consistency: "strong" }),
  });
};

export const config = { path: "/api/auth/*" };
