import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed, expiring links to artifacts of the local store, served by `GET /api/artifacts/<key>`.
 * The signature (HMAC-SHA256, base64url) covers the key and the expiry, so neither can be changed.
 * Pure functions with the clock passed in; the store and the artifact route use them.
 */

/** How long links live, by where they are shown (defined with the other browser-safe link facts). */
export { ARTIFACT_LINK_TTL_SECONDS } from "./artifact-links";

/** Where the app serves artifacts (the route `app/api/artifacts/[...key]`). */
const ARTIFACT_ROUTE_PATH = "/api/artifacts";

export interface ArtifactLinkConfig {
  /** HMAC key for the signatures (ARTIFACT_URL_SECRET). */
  secret: string;
  /** The app's public base URL (NIGHTSHIFT_PUBLIC_URL) for absolute links; null: relative links. */
  publicBaseUrl: string | null;
}

const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const EXPIRES_PATTERN = /^\d{1,12}$/;

/** The signature of a key valid until `expires` (unix seconds). */
export function signArtifactLink(key: string, expires: number, secret: string): string {
  return createHmac("sha256", secret).update(`${key}\n${expires}`).digest("base64url");
}

/** `<base>/api/artifacts/<key>?expires=<unix>&sig=<base64url>`, valid `ttlSeconds` from `now`. */
export function signedArtifactUrl(key: string, params: { ttlSeconds: number; now: Date }, config: ArtifactLinkConfig): string {
  if (!Number.isInteger(params.ttlSeconds) || params.ttlSeconds <= 0) throw new RangeError(`ttlSeconds must be a positive integer, got ${params.ttlSeconds}`);
  const expires = Math.floor(params.now.getTime() / 1000) + params.ttlSeconds;
  const path = `${ARTIFACT_ROUTE_PATH}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const base = config.publicBaseUrl?.replace(/\/+$/, "") ?? "";
  return `${base}${path}?expires=${expires}&sig=${signArtifactLink(key, expires, config.secret)}`;
}

export type ArtifactLinkCheck = { ok: true; expiresAt: Date } | { ok: false; reason: "unsigned" | "bad_signature" | "expired" };

/**
 * Checks a link's `expires` and `sig` query parameters for `key`. The signature is checked first
 * (in constant time), so "expired" is only ever said of a link we issued.
 */
export function verifyArtifactLink(params: { key: string; expires: string | null; sig: string | null }, secret: string, now: Date): ArtifactLinkCheck {
  const { key, expires, sig } = params;
  if (!expires || !sig) return { ok: false, reason: "unsigned" };
  if (!EXPIRES_PATTERN.test(expires) || !SIGNATURE_PATTERN.test(sig)) return { ok: false, reason: "bad_signature" };
  const expected = Buffer.from(signArtifactLink(key, Number(expires), secret), "base64url");
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt };
}
