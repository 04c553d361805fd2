import { describe, expect, it } from "vitest";
import { ARTIFACT_LINK_TTL_SECONDS, signArtifactLink, signedArtifactUrl, verifyArtifactLink } from "@/lib/artifacts/signed-urls";

const key = "runs/3f2b1c4e-0000-4000-8000-000000000000/2/failure.png";
const otherKey = "runs/3f2b1c4e-0000-4000-8000-000000000000/1/failure.png";
const secret = "test-artifact-url-secret-0123456789abcdef";
const now = new Date("2026-12-01T02:00:00Z");
const nowUnix = now.getTime() / 1000;

function issue(options: { ttlSeconds?: number; publicBaseUrl?: string | null } = {}) {
  const url = signedArtifactUrl(key, { ttlSeconds: options.ttlSeconds ?? 900, now }, { secret, publicBaseUrl: options.publicBaseUrl ?? null });
  const parsed = new URL(url, "http://relative.invalid");
  return { url, expires: parsed.searchParams.get("expires"), sig: parsed.searchParams.get("sig") };
}

describe("signed artifact links", () => {
  it("are relative without a public base URL and absolute under one", () => {
    expect(issue().url).toMatch(new RegExp(`^/api/artifacts/${key}\\?expires=${nowUnix + 900}&sig=[A-Za-z0-9_-]{43}$`));
    expect(issue({ publicBaseUrl: "https://nightshift.example.com/" }).url).toMatch(new RegExp(`^https://nightshift\\.example\\.com/api/artifacts/${key}\\?expires=`));
  });

  it("accept a valid link until its expiry", () => {
    const { expires, sig } = issue({ ttlSeconds: 60 });
    expect(verifyArtifactLink({ key, expires, sig }, secret, now)).toEqual({ ok: true, expiresAt: new Date((nowUnix + 60) * 1000) });
    expect(verifyArtifactLink({ key, expires, sig }, secret, new Date(now.getTime() + 59_999))).toMatchObject({ ok: true });
  });

  it("refuse an expired link", () => {
    const { expires, sig } = issue({ ttlSeconds: 60 });
    expect(verifyArtifactLink({ key, expires, sig }, secret, new Date(now.getTime() + 60_000))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuse a link whose key was changed", () => {
    const { expires, sig } = issue();
    expect(verifyArtifactLink({ key: otherKey, expires, sig }, secret, now)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuse a link whose expiry was pushed out", () => {
    const { expires, sig } = issue();
    expect(verifyArtifactLink({ key, expires: String(Number(expires) + 86_400), sig }, secret, now)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuse a link signed with another secret", () => {
    const { expires, sig } = issue();
    expect(verifyArtifactLink({ key, expires, sig }, "another-secret-of-enough-length-0123456789", now)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it.each([
    ["no signature", { expires: String(nowUnix + 60), sig: null }, "unsigned"],
    ["no expiry", { expires: null, sig: signArtifactLink(key, nowUnix + 60, secret) }, "unsigned"],
    ["a malformed signature", { expires: String(nowUnix + 60), sig: "abc" }, "bad_signature"],
    ["a malformed expiry", { expires: "1e12", sig: signArtifactLink(key, nowUnix + 60, secret) }, "bad_signature"],
  ] as const)("refuse a link with %s", (_name, params, reason) => {
    expect(verifyArtifactLink({ key, ...params }, secret, now)).toEqual({ ok: false, reason });
  });

  it("keep UI links short and CRM-note links long", () => {
    expect(ARTIFACT_LINK_TTL_SECONDS.ui).toBe(15 * 60);
    expect(ARTIFACT_LINK_TTL_SECONDS.crmNote).toBe(7 * 86_400);
    expect(() => signedArtifactUrl(key, { ttlSeconds: 0, now }, { secret, publicBaseUrl: null })).toThrow(RangeError);
  });
});
