import { describe, expect, it } from "vitest";
import { decodeBase32, encodeBase32, hotp, msUntilNextStep, normalizeBase32, totp, TotpSecretError, type TotpAlgorithm } from "@/lib/secrets/totp";

// RFC 6238, Appendix B: the seeds are ASCII strings, 20 / 32 / 64 bytes for SHA-1 / SHA-256 / SHA-512.
const SEEDS: Record<TotpAlgorithm, string> = {
  sha1: "12345678901234567890",
  sha256: "12345678901234567890123456789012",
  sha512: "1234567890123456789012345678901234567890123456789012345678901234",
};
const VECTORS: Array<[number, Record<TotpAlgorithm, string>]> = [
  [59, { sha1: "94287082", sha256: "46119246", sha512: "90693936" }],
  [1111111109, { sha1: "07081804", sha256: "68084774", sha512: "25091201" }],
  [1111111111, { sha1: "14050471", sha256: "67062674", sha512: "99943326" }],
  [1234567890, { sha1: "89005924", sha256: "91819424", sha512: "93441116" }],
  [2000000000, { sha1: "69279037", sha256: "90698825", sha512: "38618901" }],
  [20000000000, { sha1: "65353130", sha256: "77737706", sha512: "47863826" }],
];

describe("TOTP (RFC 6238)", () => {
  for (const [seconds, codes] of VECTORS) {
    for (const algorithm of ["sha1", "sha256", "sha512"] as const) {
      it(`gives ${codes[algorithm]} at T=${seconds} with ${algorithm.toUpperCase()} (8 digits)`, () => {
        const secret = encodeBase32(Buffer.from(SEEDS[algorithm], "ascii"));
        expect(totp(secret, { time: seconds * 1000, algorithm, digits: 8 })).toBe(codes[algorithm]);
      });
    }
  }

  it("defaults to SHA-1, 30 s steps and 6 digits (the last six of the RFC's 8-digit code)", () => {
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of "12345678901234567890"
    expect(totp(secret, { time: 59_000 })).toBe("287082");
    expect(totp(secret, { time: 1111111109_000 })).toBe("081804");
    // Same step → same code; the next step → another one.
    expect(totp(secret, { time: 60_000 })).toBe(totp(secret, { time: 89_999 }));
    expect(totp(secret, { time: 60_000 })).not.toBe(totp(secret, { time: 90_000 }));
  });

  it("matches the RFC 4226 HOTP vectors", () => {
    const key = Buffer.from(SEEDS.sha1, "ascii");
    expect([0, 1, 2, 3, 9].map((c) => hotp(key, c))).toEqual(["755224", "287082", "359152", "969429", "520489"]);
  });

  it("reads secrets as people paste them, and refuses characters outside base32", () => {
    expect(normalizeBase32("gezd gnbv-gy3t qojq====")).toBe("GEZDGNBVGY3TQOJQ");
    expect(decodeBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").toString("ascii")).toBe(SEEDS.sha1);
    expect(encodeBase32(decodeBase32("JBSWY3DPEHPK3PXP"))).toBe("JBSWY3DPEHPK3PXP");
    expect(() => decodeBase32("not-base32-1!")).toThrow(TotpSecretError);
  });

  it("says how long the current code stays valid", () => {
    expect(msUntilNextStep(59_000)).toBe(1_000);
    expect(msUntilNextStep(60_000)).toBe(30_000);
  });
});
