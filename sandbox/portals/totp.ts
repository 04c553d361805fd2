// RFC 6238 TOTP as an authenticator-protected portal checks it (SHA-1, 30 s, 6 digits, base32
// secret). The sandbox stands in for a third party, so it has its own small implementation
// rather than Nightshift's (lib/secrets/totp.ts): a bug in one cannot hide in the other.

import { createHmac, timingSafeEqual } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function isBase32Secret(text: string): boolean {
  return /^[A-Z2-7]{16,}$/.test(text);
}

function base32Bytes(secret: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const char of secret.replace(/=+$/, "")) {
    const v = ALPHABET.indexOf(char);
    if (v < 0) throw new Error("not base32");
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

export function codeAt(secret: string, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", base32Bytes(secret)).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** Accepts the code of the current 30-second step or the one either side (clock drift), as most portals do. */
export function verifyCode(secret: string, code: string, now = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const step = Math.floor(now / 30_000);
  return [step - 1, step, step + 1].some((counter) => timingSafeEqual(Buffer.from(codeAt(secret, counter)), Buffer.from(code)));
}
