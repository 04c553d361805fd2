import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { createArtifactHandler, DOM_VIEW_CSP } from "@/app/api/artifacts/[...key]/artifact-handler";
import { artifactViewUrl, ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/artifact-links";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { artifactKey } from "@/lib/artifacts/store";

// The DOM snapshot's view through the artifact route: a sandboxed page without scripts or network, for signed links only.

const runId = "3f2b1c4e-0000-4000-8000-00000000d0e0";
const secret = "test-artifact-url-secret-0123456789abcdef";
const issuedAt = new Date("2026-12-01T02:00:00Z");
let clock = issuedAt;
const store = createArtifactStore({ artifactsDir: mkdtempSync(path.join(os.tmpdir(), "artifacts-view-")), artifactLinks: { secret, publicBaseUrl: null } }, { now: () => issuedAt });
const GET = createArtifactHandler(
  () => pino({ level: "silent" }),
  () => ({ store, linkSecret: secret, now: () => clock }),
);
const domKey = artifactKey({ runId, attempt: 2, name: "dom", ext: "html" });
const traceKey = artifactKey({ runId, attempt: 2, name: "trace", ext: "zip" });
const pngKey = artifactKey({ runId, attempt: 2, name: "failure", ext: "png" });
const html = "<html><body><h1>Claim form</h1><script>document.title='pwned'</script><img src='http://evil.example/x.png'></body></html>";

async function get(url: string): Promise<Response> {
  const parsed = new URL(url, "http://127.0.0.1:3000");
  const segments = parsed.pathname.replace(/^\/api\/artifacts\//, "").split("/").map(decodeURIComponent);
  return GET(new Request(parsed), { params: Promise.resolve({ key: segments }) });
}

beforeAll(async () => {
  await store.put(domKey, Buffer.from(html), "text/html");
  await store.put(traceKey, Buffer.from("PK\u0003\u0004trace"), "application/zip");
  await store.put(pngKey, Buffer.from([0x89, 0x50, 0x4e, 0x47]), "image/png");
});

describe("GET /api/artifacts/<dom key>?…&view=1", () => {
  it("renders the snapshot as HTML under a sandbox CSP: no scripts, no network, framed only by our pages, never sniffed", async () => {
    clock = issuedAt;
    const response = await get(artifactViewUrl(await store.signedUrl(domKey, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui })));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toBe(DOM_VIEW_CSP);
    expect(csp.split(";").map((d) => d.trim())).toEqual(["sandbox", "default-src 'none'", "img-src data:", "style-src 'unsafe-inline'", "frame-ancestors 'self'"]);
    expect(csp).not.toMatch(/allow-scripts|allow-same-origin|script-src/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(await response.text()).toBe(html);
  });

  it("keeps the plain link a text download", async () => {
    clock = issuedAt;
    const response = await get(await store.signedUrl(domKey, { ttlSeconds: 60 }));
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${runId}-2-dom.html"`);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });

  it("ignores the view switch on anything but a DOM snapshot", async () => {
    clock = issuedAt;
    const trace = await get(artifactViewUrl(await store.signedUrl(traceKey, { ttlSeconds: 60 })));
    expect(trace.headers.get("content-type")).toBe("application/zip");
    expect(trace.headers.get("content-disposition")).toMatch(/^attachment;/);
    const png = await get(artifactViewUrl(await store.signedUrl(pngKey, { ttlSeconds: 60 })));
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });

  it("refuses a tampered view link with 403 (another key under the same signature)", async () => {
    clock = issuedAt;
    const signed = artifactViewUrl(await store.signedUrl(pngKey, { ttlSeconds: 60 }));
    const response = await get(signed.replace("/failure.png", "/dom.html"));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toEqual({ code: "forbidden", message: expect.stringMatching(/not valid/) as string });
  });

  it("refuses an expired view link with 403 and says how to get a fresh one", async () => {
    const url = artifactViewUrl(await store.signedUrl(domKey, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }));
    clock = new Date(issuedAt.getTime() + ARTIFACT_LINK_TTL_SECONDS.ui * 1000);
    const response = await get(url);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/expired.*Reload the case page/);
  });

  it("lets the browser keep a response only while its link lives (at most an hour)", async () => {
    clock = new Date(issuedAt.getTime() + 10 * 60_000);
    const response = await get(await store.signedUrl(pngKey, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }));
    expect(response.headers.get("cache-control")).toBe("private, max-age=300, immutable");
    clock = issuedAt;
    const long = await get(await store.signedUrl(pngKey, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.crmNote }));
    expect(long.headers.get("cache-control")).toBe("private, max-age=3600, immutable");
  });
});
