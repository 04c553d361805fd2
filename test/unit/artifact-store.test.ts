import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { artifactKey, ArtifactKeyError, assertArtifactKey, LocalArtifactStore } from "@/lib/artifacts/store";

const runId = "3f2b1c4e-0000-4000-8000-000000000000";

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
    const store = new LocalArtifactStore(mkdtempSync(path.join(os.tmpdir(), "artifacts-")));
    const key = artifactKey({ runId, attempt: 1, name: "dom", ext: "html" });
    await store.put(key, Buffer.from("<html><script>alert(1)</script></html>"), "text/html");
    const stored = await store.get(key);
    expect(stored?.body.toString()).toContain("<script>");
    // DOM snapshots are served as text, never as HTML of our origin.
    expect(stored?.contentType).toBe("text/plain; charset=utf-8");
    expect(await store.get(artifactKey({ runId, attempt: 1, name: "final", ext: "png" }))).toBeNull();
  });
});
