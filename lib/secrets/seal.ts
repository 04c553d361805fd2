/**
 * Sealing secrets at rest: AES-256-GCM with a key derived (HKDF, per purpose) from
 * NIGHTSHIFT_SECRET_KEY, a random 12-byte IV per seal, and additional authenticated data that
 * binds the blob to what it belongs to (e.g. the OEM id), so a sealed value copied to another row
 * does not open. The blob names the key that sealed it; opening accepts the current key and the
 * previous ones (a key rotation in progress, see README "Portal credentials and key rotation").
 *
 * Blob format (text, safe in a column): `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey, type SecretKey, type SecretKeys } from "./secret-key";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SealErrorCode = "malformed" | "unknown_key" | "tampered";

/** A sealed blob that cannot be opened: its message names the cause and never the plaintext. */
export class SealError extends Error {
  override name = "SealError";
  constructor(
    readonly code: SealErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SealContext {
  /** What the key is for (an HKDF info), e.g. "portal-credentials". */
  purpose: string;
  /** What the blob belongs to (e.g. the OEM id): authenticated, not stored. */
  aad: string;
}

export interface Sealed {
  sealed: string;
  /** The id of the key that sealed it (the first 8 bytes of its SHA-256, hex). */
  keyId: string;
}

function aadOf(context: SealContext): Buffer {
  return Buffer.from(`nightshift:${context.purpose}:${context.aad}`, "utf8");
}

/** Seals `plaintext` with the current key. */
export function seal(keys: SecretKeys, plaintext: string, context: SealContext): Sealed {
  const key = keys.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(key, context.purpose), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { sealed: [VERSION, key.id, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join("."), keyId: key.id };
}

/** The id of the key a blob was sealed with, or null when it is no blob of ours. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts.length === 5 && parts[0] === VERSION ? (parts[1] ?? null) : null;
}

/**
 * Opens a blob: with the key it names when that key is the current or a previous one, else with
 * each of them in turn. Throws `SealError` — `unknown_key` when none of the configured keys opens it
 * and none is the one that sealed it, `tampered` when the named key is there but the blob (or its
 * AAD, i.e. what it belongs to) does not authenticate, `malformed` when it is no blob of ours.
 */
export function open(keys: SecretKeys, sealed: string, context: SealContext): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SealError("malformed", "The stored secret is not in a format this version of Nightshift can read.");
  const [, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError("malformed", "The stored secret is damaged (bad IV or tag length).");
  const ciphertext = Buffer.from(ciphertextText, "base64url");
  const all = [keys.current, ...keys.previous];
  const named = all.find((k) => k.id === keyId);
  // Current first, then the previous keys: the named one is tried first when it is configured.
  const order: SecretKey[] = named ? [named, ...all.filter((k) => k !== named)] : all;
  for (const key of order) {
    const opened = tryOpen(key, iv, ciphertext, tag, context);
    if (opened !== null) return opened;
  }
  if (!named) {
    throw new SealError(
      "unknown_key",
      `The stored secret was sealed with key ${keyId}, which is neither NIGHTSHIFT_SECRET_KEY (${keys.current.id}) nor one of NIGHTSHIFT_SECRET_KEY_PREVIOUS; set the old key as NIGHTSHIFT_SECRET_KEY_PREVIOUS, or store the secret again.`,
    );
  }
  throw new SealError("tampered", "The stored secret does not authenticate: it was changed, or it belongs to something else; store it again.");
}

function tryOpen(key: SecretKey, iv: Buffer, ciphertext: Buffer, tag: Buffer, context: SealContext): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(key, context.purpose), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadOf(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
