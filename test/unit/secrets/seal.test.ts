import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, SealError, sealedKeyId } from "@/lib/secrets/seal";
import { parseSecretKey, type SecretKeys } from "@/lib/secrets/secret-key";

const newKey = () => parseSecretKey(randomBytes(32).toString("base64"));
const context = { purpose: "portal-credentials", aad: "arden" };

function openError(keys: SecretKeys, sealed: string, ctx = context): SealError {
  try {
    open(keys, sealed, ctx);
  } catch (error) {
    if (error instanceof SealError) return error;
    throw error;
  }
  throw new Error("expected the blob not to open");
}

describe("seal / open", () => {
  const current = newKey();
  const keys: SecretKeys = { current, previous: [] };

  it("round-trips a secret and names the key that sealed it, never holding the plaintext", () => {
    const secret = JSON.stringify({ username: "nightshift", password: "pässwörd-🔑-canary" });
    const sealed = seal(keys, secret, context);
    expect(sealed.keyId).toBe(current.id);
    expect(sealedKeyId(sealed.sealed)).toBe(current.id);
    expect(sealed.sealed).not.toContain("canary");
    expect(Buffer.from(sealed.sealed.split(".")[3]!, "base64url").toString("utf8")).not.toContain("canary");
    expect(open(keys, sealed.sealed, context)).toBe(secret);
  });

  it("uses a fresh IV every time: the same secret seals differently", () => {
    expect(seal(keys, "same", context).sealed).not.toBe(seal(keys, "same", context).sealed);
  });

  it("refuses a blob moved to another portal (the OEM id is authenticated data)", () => {
    const sealed = seal(keys, "secret", context).sealed;
    const error = openError(keys, sealed, { ...context, aad: "borealis" });
    expect(error.code).toBe("tampered");
    expect(error.message).toMatch(/changed, or it belongs to something else/);
    expect(openError(keys, sealed, { purpose: "sessions", aad: "arden" }).code).toBe("tampered");
  });

  it("refuses a tampered ciphertext or tag", () => {
    const sealed = seal(keys, "secret value", context).sealed;
    const parts = sealed.split(".");
    const flip = (text: string) => {
      const bytes = Buffer.from(text, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString("base64url");
    };
    expect(openError(keys, [parts[0], parts[1], parts[2], flip(parts[3]!), parts[4]].join(".")).code).toBe("tampered");
    expect(openError(keys, [parts[0], parts[1], parts[2], parts[3], flip(parts[4]!)].join(".")).code).toBe("tampered");
    expect(openError(keys, "not a blob").code).toBe("malformed");
  });

  it("refuses with a wrong key and says which key sealed it and what to do", () => {
    const sealed = seal(keys, "secret", context).sealed;
    const other = newKey();
    const error = openError({ current: other, previous: [] }, sealed);
    expect(error.code).toBe("unknown_key");
    expect(error.message).toContain(current.id);
    expect(error.message).toContain("NIGHTSHIFT_SECRET_KEY_PREVIOUS");
    expect(error.message).not.toContain("secret\"");
  });

  it("opens a blob sealed with a previous key during a rotation, and re-seals it with the new one", () => {
    const old = seal(keys, "rotated secret", context);
    const next = newKey();
    const rotating: SecretKeys = { current: next, previous: [current] };
    expect(open(rotating, old.sealed, context)).toBe("rotated secret");
    const resealed = seal(rotating, open(rotating, old.sealed, context), context);
    expect(resealed.keyId).toBe(next.id);
    expect(open({ current: next, previous: [] }, resealed.sealed, context)).toBe("rotated secret");
  });
});
