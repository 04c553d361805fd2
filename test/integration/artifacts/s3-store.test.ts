import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { text } from "node:stream/consumers";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArtifactHandler } from "@/app/api/artifacts/[...key]/artifact-handler";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { type S3ArtifactStore } from "@/lib/artifacts/s3-store";
import { artifactKey } from "@/lib/artifacts/store";
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from "../../support/s3-server";

// The S3 store against a real S3 protocol server (s3rver 4 verifies SigV4 and presigned expiry).

const secret = "test-artifact-url-secret-0123456789abcdef";
const links = { secret, publicBaseUrl: "http://127.0.0.1:3000" };
const BUCKET = "nightshift-dev-artifacts";
let server: S3TestServer;
let store: S3ArtifactStore;
const stores: S3ArtifactStore[] = [];

function s3Store(options: { bucket?: string; now?: () => Date; credentials?: { accessKeyId: string; secretAccessKey: string }; publicEndpoint?: string } = {}): S3ArtifactStore {
  const config = { ...server.storeConfig(options.bucket ?? BUCKET), ...(options.publicEndpoint ? { publicEndpoint: options.publicEndpoint } : {}) };
  const made = createArtifactStore({ artifactsDir: "/nonexistent", artifactLinks: links, artifactS3: config }, { now: options.now, credentials: options.credentials ?? S3RVER_CREDENTIALS }) as S3ArtifactStore;
  stores.push(made);
  return made;
}

const key = (name: string, ext: "png" | "zip" | "html" = "png") => artifactKey({ runId: randomUUID(), attempt: 1, name, ext });

/** A deterministic pseudo-random stream of `size` bytes, made chunk by chunk (never whole), and its SHA-256 as it went out. */
function generatedStream(size: number): { stream: Readable; sha256: () => string; produced: () => number } {
  const hash = createHash("sha256");
  let sent = 0;
  let seed = 1;
  const stream = new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const chunk = Buffer.alloc(Math.min(256 * 1024, size - sent));
      for (let i = 0; i + 4 <= chunk.length; i += 4) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        chunk.writeUInt32LE(seed, i);
      }
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest("hex"), produced: () => sent };
}

async function sha256Of(body: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(body, new Writable({ write(chunk: Buffer, _e, done) { hash.update(chunk); bytes += chunk.length; done(); } }));
  return { sha256: hash.digest("hex"), bytes };
}

beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  store = s3Store();
});

afterAll(async () => {
  for (const made of stores) made.destroy();
  await server?.close();
});

describe("S3 artifact store", () => {
  it("stores, returns and deletes an artifact; an absent key reads as null and deletes without error", async () => {
    const k = key("failure");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    expect(await store.put(k, png, "image/png")).toEqual({ bytes: 7 });
    const stored = await store.get(k);
    expect(stored?.contentType).toBe("image/png");
    expect(stored?.bytes).toBe(7);
    expect(Buffer.from(await new Response(Readable.toWeb(stored!.body) as ReadableStream).arrayBuffer())).toEqual(png);
    await store.delete(k);
    expect(await store.get(k)).toBeNull();
    await expect(store.delete(k)).resolves.toBeUndefined();
  });

  it("check() writes, reads back and deletes a probe, and names a missing bucket or refused credentials in a sentence", async () => {
    expect(await store.check()).toMatchObject({ ok: true });
    const missing = await s3Store({ bucket: "nightshift-nope-artifacts" }).check();
    expect(missing).toEqual({ ok: false, message: expect.stringMatching(/bucket does not exist.*nightshift-nope-artifacts/) as unknown });
    const refused = await s3Store({ credentials: { accessKeyId: "S3RVER", secretAccessKey: "wrong" } }).check();
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/refused the credentials/) as unknown });
  });

  it("links a screenshot with a presigned GET that works, and answers 403 once it has expired or when it is tampered with", async () => {
    const k = key("failure");
    await store.put(k, Buffer.from("png-bytes"), "image/png");
    const url = await store.signedUrl(k, { ttlSeconds: 900 });
    expect(url.startsWith(`${server.endpoint}/${BUCKET}/runs/`)).toBe(true);
    expect(url).toContain("X-Amz-Signature=");
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("image/png");
    expect(await ok.text()).toBe("png-bytes");

    // Issued two hours ago for one minute.
    const past = s3Store({ now: () => new Date(Date.now() - 2 * 3600_000) });
    const expired = await fetch(await past.signedUrl(k, { ttlSeconds: 60 }));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/i);

    const other = key("failure");
    await store.put(other, Buffer.from("someone else's"), "image/png");
    const tamperedKey = await fetch(url.replace(k, other));
    expect(tamperedKey.status).toBe(403);
    const tamperedExpiry = await fetch(url.replace("X-Amz-Expires=900", "X-Amz-Expires=9000"));
    expect(tamperedExpiry.status).toBe(403);
  });

  it("signs presigned links for the host the browser uses (ARTIFACT_S3_PUBLIC_ENDPOINT)", async () => {
    const k = key("failure");
    await store.put(k, Buffer.from("via another host"), "image/png");
    const publicEndpoint = `http://localhost:${server.port}`;
    const url = await s3Store({ publicEndpoint }).signedUrl(k, { ttlSeconds: 900 });
    expect(url.startsWith(`${publicEndpoint}/${BUCKET}/`)).toBe(true);
    expect((await fetch(url)).status).toBe(200);
    // The same signature presented on the worker's host does not verify: it was made for the browser's.
    expect((await fetch(url.replace(publicEndpoint, server.endpoint))).status).toBe(403);
  });

  it("links DOM snapshots and traces through the app's signed route, which streams them from the bucket", async () => {
    const dom = key("dom", "html");
    await store.put(dom, Buffer.from("<html><body>portal</body></html>"), "text/plain; charset=utf-8");
    const url = await store.signedUrl(dom, { ttlSeconds: 900 });
    expect(url.startsWith("http://127.0.0.1:3000/api/artifacts/runs/")).toBe(true);
    const GET = createArtifactHandler(() => pino({ level: "silent" }), () => ({ store: store, linkSecret: secret }));
    const { pathname } = new URL(url);
    const response = await GET(new Request(url), { params: Promise.resolve({ key: pathname.replace(/^\/api\/artifacts\//, "").split("/").map(decodeURIComponent) }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("32");
    expect(await response.text()).toBe("<html><body>portal</body></html>");
  });

  it("streams a trace larger than 10 MiB up (multipart) and back without holding it in memory", async () => {
    const size = 32 * 1024 * 1024 + 12344;
    const k = key("trace", "zip");
    const { stream, sha256, produced } = generatedStream(size);
    // Bytes the server has acknowledged (completed parts), watched on the client's own requests.
    let acknowledged = 0;
    let parts = 0;
    let aheadMax = 0;
    const watch = store.client.middlewareStack;
    watch.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === "UploadPartCommand") {
          const body = (args.input as { Body?: Uint8Array }).Body;
          acknowledged += body?.byteLength ?? 0;
          parts += 1;
        }
        return result;
      },
      { step: "initialize", name: "testPartWatcher" },
    );
    const sampler = setInterval(() => (aheadMax = Math.max(aheadMax, produced() - acknowledged)), 2);
    try {
      expect(await store.put(k, stream, "application/zip")).toEqual({ bytes: size });
    } finally {
      clearInterval(sampler);
      watch.remove("testPartWatcher");
    }
    expect(parts).toBeGreaterThanOrEqual(6);
    // Never more than a few 5 MiB parts read ahead of what the server has: the trace is never whole in memory.
    expect(aheadMax).toBeGreaterThan(0);
    expect(aheadMax).toBeLessThan(20 * 1024 * 1024);
    const back = await store.get(k);
    expect(back?.bytes).toBe(size);
    expect(await sha256Of(back!.body)).toEqual({ sha256: sha256(), bytes: size });
  });

  it("reads a text artifact back as a stream", async () => {
    const k = key("dom", "html");
    await store.put(k, Readable.from([Buffer.from("a"), Buffer.from("b")]), "text/plain");
    expect(await text((await store.get(k))!.body)).toBe("ab");
  });
});
