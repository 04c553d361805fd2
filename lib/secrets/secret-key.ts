import { createHash, hkdfSync, randomBytes } from "node:crypto";
import path from "node:path";
import type { Env } from "../config/env";
import { readOrCreateSecretFile } from "../config/secret-file";

/** One 32-byte key and its id (the first 8 bytes of its SHA-256, hex): ciphertexts name the key that sealed them. */
export interface SecretKey {
  id: string;
  bytes: Buffer;
}

/** The key that seals from now on, and the previous ones still accepted for reading (a rotation in progress). */
export interface SecretKeys {
  current: SecretKey;
  previous: SecretKey[];
}

export class SecretKeyError extends Error {
  override name = "SecretKeyError";
}

/** Parses a 32-byte key given as base64/base64url (43–44 chars) or hex (64 chars); a readable error otherwise. */
export function parseSecretKey(raw: string, variable = "NIGHTSHIFT_SECRET_KEY"): SecretKey {
  const text = raw.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) bytes = Buffer.from(text, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!bytes || bytes.length !== 32) {
    throw new SecretKeyError(`${variable} must be 32 random bytes as base64 (44 characters) or hex (64 characters); make one with: openssl rand -base64 32`);
  }
  return { id: keyId(bytes), bytes };
}

export function keyId(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

/**
 * NIGHTSHIFT_SECRET_KEY (+ NIGHTSHIFT_SECRET_KEY_PREVIOUS), required on stage and prod. In dev a
 * per-checkout key is generated once under NIGHTSHIFT_DATA_DIR (mode 0600, never a constant in
 * code), so the launcher, web app and worker share it.
 */
export function resolveSecretKeys(env: Pick<Env, "NIGHTSHIFT_SECRET_KEY" | "NIGHTSHIFT_SECRET_KEY_PREVIOUS" | "NIGHTSHIFT_ENV" | "NIGHTSHIFT_DATA_DIR">): SecretKeys {
  const previous = (env.NIGHTSHIFT_SECRET_KEY_PREVIOUS ?? "")
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part) => parseSecretKey(part, "NIGHTSHIFT_SECRET_KEY_PREVIOUS"));
  if (env.NIGHTSHIFT_SECRET_KEY) return { current: parseSecretKey(env.NIGHTSHIFT_SECRET_KEY), previous };
  if (env.NIGHTSHIFT_ENV !== "dev") {
    throw new SecretKeyError(`NIGHTSHIFT_SECRET_KEY must be set when NIGHTSHIFT_ENV=${env.NIGHTSHIFT_ENV} (it seals portal credentials and signs sessions). Make one with: openssl rand -base64 32`);
  }
  return { current: parseSecretKey(perCheckoutKey(env.NIGHTSHIFT_DATA_DIR)), previous };
}

/** A sub-key for one purpose (e.g. "sessions"), so one configured key never serves two algorithms directly. */
export function deriveKey(key: SecretKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key.bytes, Buffer.alloc(0), `nightshift:${purpose}`, 32));
}

function perCheckoutKey(dataDir: string): string {
  return readOrCreateSecretFile(path.join(dataDir, "secret-key"), () => randomBytes(32).toString("base64"));
}
