import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { roleFromGroups } from "@/lib/auth/group-roles";
import { safeNext } from "@/lib/auth/safe-next";
import { deriveKey, parseSecretKey, resolveSecretKeys } from "@/lib/secrets/secret-key";

const MAPPING = { "ns-admins": "admin", "ns-ops": "ops", "ns-viewers": "viewer" } as const;

describe("roles from an identity provider's groups", () => {
  it("grants the highest role any group maps to, whatever the order", () => {
    expect(roleFromGroups(["ns-viewers", "ns-admins", "ns-ops"], MAPPING, null)).toBe("admin");
    expect(roleFromGroups(["other", "ns-ops", "ns-viewers"], MAPPING, null)).toBe("ops");
  });

  it("reads a claim sent as one space- or comma-separated string", () => {
    expect(roleFromGroups("staff ns-ops", MAPPING, null)).toBe("ops");
    expect(roleFromGroups("staff,ns-viewers", MAPPING, null)).toBe("viewer");
  });

  it("falls back (null = no access) when no group is mapped or the claim is missing or odd", () => {
    expect(roleFromGroups(["staff"], MAPPING, null)).toBeNull();
    expect(roleFromGroups(undefined, MAPPING, "viewer")).toBe("viewer");
    expect(roleFromGroups([42, { g: "ns-admins" }], MAPPING, null)).toBeNull();
    // Group names are ids: no case folding, no prefix matching.
    expect(roleFromGroups(["NS-ADMINS", "ns-admins-old"], MAPPING, null)).toBeNull();
  });
});

describe("where sign-in returns to", () => {
  it("keeps a same-site path with its query", () => {
    expect(safeNext("/runs?status=failed")).toBe("/runs?status=failed");
  });

  it("turns other hosts, protocol-relative and backslash tricks, the sign-in page and APIs into /", () => {
    for (const value of ["https://evil.example/", "//evil.example", "/\\evil.example", "/sign-in?next=/x", "/api/users", "", null, undefined, "runs"]) expect(safeNext(value)).toBe("/");
  });
});

describe("NIGHTSHIFT_SECRET_KEY", () => {
  const key = Buffer.alloc(32, 7);

  it("accepts 32 bytes as base64, base64url or hex, with the same key id", () => {
    const ids = [key.toString("base64"), key.toString("base64url"), key.toString("hex")].map((text) => parseSecretKey(text).id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("refuses anything else with a sentence saying how to make one", () => {
    for (const bad of ["short", Buffer.alloc(16).toString("base64"), "z".repeat(64)]) expect(() => parseSecretKey(bad)).toThrow(/openssl rand -base64 32/);
  });

  it("is required outside dev, and generated once per checkout (0600) in dev", () => {
    expect(() => resolveSecretKeys({ NIGHTSHIFT_ENV: "prod", NIGHTSHIFT_DATA_DIR: "/nonexistent", NIGHTSHIFT_SECRET_KEY: undefined, NIGHTSHIFT_SECRET_KEY_PREVIOUS: undefined })).toThrow(/must be set when NIGHTSHIFT_ENV=prod/);
    const dir = mkdtempSync(path.join(os.tmpdir(), "ns-key-"));
    const env = { NIGHTSHIFT_ENV: "dev" as const, NIGHTSHIFT_DATA_DIR: dir, NIGHTSHIFT_SECRET_KEY: undefined, NIGHTSHIFT_SECRET_KEY_PREVIOUS: undefined };
    const first = resolveSecretKeys(env);
    expect(resolveSecretKeys(env).current.id).toBe(first.current.id);
    expect(statSync(path.join(dir, "secret-key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, "secret-key"), "utf8").trim()).toHaveLength(44);
  });

  it("keeps previous keys for reading during a rotation, and derives different sub-keys per purpose", () => {
    const previous = Buffer.alloc(32, 9).toString("base64");
    const keys = resolveSecretKeys({ NIGHTSHIFT_ENV: "prod", NIGHTSHIFT_DATA_DIR: "/x", NIGHTSHIFT_SECRET_KEY: key.toString("base64"), NIGHTSHIFT_SECRET_KEY_PREVIOUS: `${previous}, ` });
    expect(keys.previous.map((k) => k.id)).toEqual([parseSecretKey(previous).id]);
    expect(deriveKey(keys.current, "sessions").equals(deriveKey(keys.current, "portal-credentials"))).toBe(false);
    expect(deriveKey(keys.current, "sessions")).toHaveLength(32);
  });
});
