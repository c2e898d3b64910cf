// Account actions: POST /api/auth/login, /register, /logout and GET /api/auth/confirm?token=
// (logic in ../lib/auth.mjs). Netlify Identity confirms who the user is; IDENTITY_URL may point
// elsewhere (the local preview points it at its stand-in).
import { getStore } from "@netlify/blobs";
import { handleAuth } from "../lib/auth.mjs";
import { netlifyIdentity } from "../lib/identity.mjs";

export default async (request) => {
  const url = Netlify.env.get("IDENTITY_URL") || `${new URL(request.url).origin}/.netlify/identity`;
  return handleAuth(request, {
    provider: netlifyIdentity({ url }),
    secret: Netlify.env.get("SESSION_SECRET"),
    meters: getStore({ name: "meters", consistency: "strong" }),
  });
};

export const config = { path: "/api/auth/*" };
