import type { Readable } from "node:stream";

/**
 * What `put` stores: a small buffer (screenshots, DOM snapshots), a file on disk (traces, read
 * as a stream), or any readable stream. Nothing large is ever held in memory whole.
 */
export type ArtifactBody = Buffer | Readable | { file: string };

/** An artifact read back: a stream of its bytes (the caller must consume or destroy it). */
export interface StoredArtifact {
  body: Readable;
  contentType: string;
  /** Its size in bytes, when the store knows it up front. */
  bytes: number | null;
}

/** The outcome of `check()`: writable and readable, or a sentence saying what is wrong. */
export type ArtifactStoreCheck = { ok: true; detail: string } | { ok: false; message: string };

/**
 * Where evidence lives: screenshots, DOM snapshots, Playwright traces. Addressed by key
 * (`runs/<runId>/<attempt>/<kind>.<ext>`), never stored as bytes in Postgres. Two stores: a local
 * folder (lib/artifacts/local-store.ts) and an S3-compatible bucket (lib/artifacts/s3-store.ts).
 */
export interface ArtifactStore {
  /** Which store this is, for logs and the doctor. */
  readonly kind: "local" | "s3";
  /** Stores the body under a key (overwrites), streaming it; resolves with the bytes written. */
  put(key: string, body: ArtifactBody, contentType: string): Promise<{ bytes: number }>;
  /** The artifact under a key as a stream, or null when absent. */
  get(key: string): Promise<StoredArtifact | null>;
  /** Removes the artifact under a key; a key already absent is no error (deletes are retried). */
  delete(key: string): Promise<void>;
  /** Writes, reads back and deletes a probe object (`doctor`); never throws. */
  check(): Promise<ArtifactStoreCheck>;
  /**
   * A link people (and the CRM) can open for `ttlSeconds`, made when a page, an API answer or a
   * CRM note is built; links are never stored. Async: S3 presigning is.
   */
  signedUrl(key: string, options: { ttlSeconds: number }): Promise<string>;
}

/** The key `check()` writes and deletes: outside `runs/`, so no artifact row or link can name it. */
export const PROBE_KEY_PREFIX = "probes/";

export class ArtifactKeyError extends Error {
  override name = "ArtifactKeyError";
}

const KEY_PATTERN = /^runs\/[0-9a-f-]{36}\/\d{1,3}\/[a-z0-9][a-z0-9_-]{0,63}\.(png|jpg|html|zip|json|txt)$/;

/** Content types by extension; anything else is refused rather than guessed. */
export const CONTENT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  html: "text/plain; charset=utf-8", // DOM snapshots are served as text, never rendered as our origin's HTML
  zip: "application/zip",
  json: "application/json",
  txt: "text/plain; charset=utf-8",
};

/** Validates a key strictly: no traversal, no absolute paths, only the shapes we write. */
export function assertArtifactKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes("..")) throw new ArtifactKeyError(`Invalid artifact key: ${JSON.stringify(key.slice(0, 120))}`);
}

export function artifactKey(params: { runId: string; attempt: number; name: string; ext: keyof typeof CONTENT_TYPES }): string {
  const key = `runs/${params.runId}/${params.attempt}/${params.name}.${params.ext}`;
  assertArtifactKey(key);
  return key;
}

export function contentTypeForKey(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1);
  const type = CONTENT_TYPES[ext];
  if (!type) throw new ArtifactKeyError(`No content type for ${key}`);
  return type;
}
