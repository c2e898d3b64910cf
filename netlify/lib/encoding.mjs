// Base64url (RFC 4648 section 5, no padding) for tokens and cookies. Decoding is strict: any
// character outside the alphabet, or a length no encoder produces, is refused, so a malformed
// cookie is rejected here instead of reaching JSON.parse or Web Crypto half-decoded.

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBytes(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function encodeText(text) {
  return encodeBytes(new TextEncoder().encode(text));
}

/** Bytes of a base64url string, or null when it is not one. */
export function decodeBytes(text) {
  if (typeof text !== "string" || !ALPHABET.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  let binary;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The JSON object encoded in a base64url string, or null for anything else. */
export function decodeJSONObject(text) {
  const bytes = decodeBytes(text);
  if (bytes === null) return null;
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
