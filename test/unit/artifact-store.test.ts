import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { verifyArtifactLink } from "@/lib/artifacts/signed-urls";
import { artifactKey, ArtifactKeyError, assertArtifactKey } from "@/lib/artifacts/store";

const runId = "3f2b1c4e-0000-4000-8000-000000000000";
const secret = "test-artifact-url-secret-0123456789abcdef";
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), "artifacts-"));

describe("artifact store", () => {
  it("builds keys as runs/<runId>/<attempt>/<kind>.<ext>", () => {
    expect(artifactKey({ runId, attempt: 2, name: "failure", ext: "png" })).toBe(`runs/${runId}/2/failure.png`);
  });

  it.each([
    "../etc/passwd",
    `runs/${runId}/1/../../../secret.png`,
    `/runs/${runId}/1/final.png`,
    `runs/${runId}/1/final.exe`,
    `runs/not-a-uuid/1/final.png`,
    `runs/${runId}/1/final.png\0.txt`,
    "",
  ])("refuses the key %j", (key) => {
    expect(() => assertArtifactKey(key)).toThrow(ArtifactKeyError);
  });

  it("stores and returns bytes with a safe content type, and null for a missing key", async () => {
    const store = createArtifactStore({ artifactsDir: tempDir(), artifactLinks: { secret, publicBaseUrl: null } });
    const key = artifactKey({ runId, attempt: 1, name: "dom", ext: "html" });
    expect(await store.put(key, Buffer.from("<html><script>alert(1)</script></html>"), "text/html")).toEqual({ bytes: 38 });
    const stored = await store.get(key);
    expect(stored?.bytes).toBe(38);
    expect(await text(stored!.body)).toContain("<script>");
    // DOM snapshots are served as text, never as HTML of our origin.
    expect(stored?.contentType).toBe("text/plain; charset=utf-8");
    expect(await store.get(artifactKey({ runId, attempt: 1, name: "final", ext: "png" }))).toBeNull();
  });

  it("signs links to its artifacts that the artifact route accepts until they expire", async () => {
    const now = new Date("2026-12-01T02:00:00Z");
    const store = createArtifactStore({ artifactsDir: tempDir(), artifactLinks: { secret, publicBaseUrl: "http://127.0.0.1:3000/" } }, { now: () => now });
    const key = artifactKey({ runId, attempt: 1, name: "failure", ext: "png" });
    const link = new URL(await store.signedUrl(key, { ttlSeconds: 900 }));
    expect(`${link.origin}${link.pathname}`).toBe(`http://127.0.0.1:3000/api/artifacts/${key}`);
    expect(link.searchParams.get("expires")).toBe(String(now.getTime() / 1000 + 900));
    const params = { key, expires: link.searchParams.get("expires"), sig: link.searchParams.get("sig") };
    expect(verifyArtifactLink(params, secret, now)).toMatchObject({ ok: true });
    expect(verifyArtifactLink(params, secret, new Date(now.getTime() + 900_000))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses to sign a link to an invalid key", async () => {
    const store = createArtifactStore({ artifactsDir: tempDir(), artifactLinks: { secret, publicBaseUrl: null } });
    await expect(store.signedUrl("../etc/passwd", { ttlSeconds: 60 })).rejects.toBeInstanceOf(ArtifactKeyError);
  });
});
