import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { createArtifactHandler } from "@/app/api/artifacts/[...key]/artifact-handler";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { artifactKey } from "@/lib/artifacts/store";

// The artifact route's handler with real Request objects: only signed, unexpired links are served.

const runId = "3f2b1c4e-0000-4000-8000-000000000000";
const secret = "test-artifact-url-secret-0123456789abcdef";
const issuedAt = new Date("2026-12-01T02:00:00Z");
let clock = issuedAt;
const store = createArtifactStore(
  { artifactsDir: mkdtempSync(path.join(os.tmpdir(), "artifacts-")), artifactLinks: { secret, publicBaseUrl: "http://127.0.0.1:3000" } },
  { now: () => issuedAt },
);
const GET = createArtifactHandler(
  () => pino({ level: "silent" }),
  () => ({ store, linkSecret: secret, now: () => clock }),
);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const pngKey = artifactKey({ runId, attempt: 1, name: "failure", ext: "png" });
const domKey = artifactKey({ runId, attempt: 1, name: "dom", ext: "html" });

async function get(url: string): Promise<Response> {
  const { pathname } = new URL(url, "http://127.0.0.1:3000");
  const segments = pathname.replace(/^\/api\/artifacts\//, "").split("/").map(decodeURIComponent);
  return GET(new Request(new URL(url, "http://127.0.0.1:3000")), { params: Promise.resolve({ key: segments }) });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

beforeAll(async () => {
  await store.put(pngKey, png, "image/png");
  await store.put(domKey, Buffer.from("<html><script>alert(1)</script></html>"), "text/html");
});

describe("GET /api/artifacts/<key>", () => {
  it("serves the bytes of a valid signed link", async () => {
    clock = issuedAt;
    const response = await get(await store.signedUrl(pngKey, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
  });

  it("serves DOM snapshots as plain text to download, never as HTML", async () => {
    clock = issuedAt;
    const response = await get(await store.signedUrl(domKey, { ttlSeconds: 60 }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("refuses an unsigned link with 403", async () => {
    clock = issuedAt;
    const response = await get(`/api/artifacts/${pngKey}`);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({ code: "forbidden", message: expect.stringMatching(/not signed/) as string });
  });

  it("refuses a forged link with 403", async () => {
    clock = issuedAt;
    const url = new URL(await store.signedUrl(pngKey, { ttlSeconds: 60 }));
    url.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    const response = await get(url.toString());
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toMatch(/not valid/);
  });

  it("refuses an expired link with 403 and says so", async () => {
    const url = await store.signedUrl(pngKey, { ttlSeconds: 60 });
    clock = new Date(issuedAt.getTime() + 61_000);
    const response = await get(url);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({ code: "forbidden", message: expect.stringMatching(/expired/) as string });
  });

  it("answers 400 for a bad key and 404 for a signed link to nothing", async () => {
    clock = issuedAt;
    const traversal = await GET(new Request("http://127.0.0.1:3000/api/artifacts/x"), { params: Promise.resolve({ key: ["runs", "..", "..", "etc", "passwd"] }) });
    expect(traversal.status).toBe(400);
    expect((await errorOf(traversal)).code).toBe("bad_request");
    const missing = await store.signedUrl(artifactKey({ runId, attempt: 2, name: "final", ext: "png" }), { ttlSeconds: 60 });
    const response = await get(missing);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
  });
});
