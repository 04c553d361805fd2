/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): what an authenticator app shows
 * for a portal's second factor. Defaults are the ones every portal uses: SHA-1, 30-second steps,
 * 6 digits, the secret in base32 (RFC 4648, as in `otpauth://` links).
 */
import { createHmac } from "node:crypto";

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

export interface TotpOptions {
  /** Default: now. */
  time?: Date | number;
  /** Seconds per step. Default 30. */
  stepSeconds?: number;
  /** Default 6. */
  digits?: number;
  /** Default sha1. */
  algorithm?: TotpAlgorithm;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export class TotpSecretError extends Error {
  override name = "TotpSecretError";
}

/** The secret as typed or pasted (spaces, dashes, lower case, `=` padding allowed), normalised; no validation. */
export function normalizeBase32(text: string): string {
  return text.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
}

/** Decodes a base32 secret; throws `TotpSecretError` for a character outside A–Z, 2–7. */
export function decodeBase32(text: string): Buffer {
  const clean = normalizeBase32(text);
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new TotpSecretError("A TOTP secret is base32: letters A–Z and digits 2–7 only.");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export function encodeBase32(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(value >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4226 HOTP of a raw key at `counter`. */
export function hotp(key: Buffer, counter: number, options: { digits?: number; algorithm?: TotpAlgorithm } = {}): string {
  const digits = options.digits ?? 6;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(options.algorithm ?? "sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, "0");
}

/** The TOTP step number of a moment. */
export function totpCounter(time: Date | number = Date.now(), stepSeconds = 30): number {
  const ms = typeof time === "number" ? time : time.getTime();
  return Math.floor(ms / 1000 / stepSeconds);
}

/** The code for a base32 secret at `time` (default now). */
export function totp(secretBase32: string, options: TotpOptions = {}): string {
  return hotp(decodeBase32(secretBase32), totpCounter(options.time, options.stepSeconds ?? 30), options);
}

/** Milliseconds until the current code stops being valid (the next step begins). */
export function msUntilNextStep(time: Date | number = Date.now(), stepSeconds = 30): number {
  const ms = typeof time === "number" ? time : time.getTime();
  return stepSeconds * 1000 - (ms % (stepSeconds * 1000));
}
