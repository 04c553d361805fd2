/**
 * Where evidence lives: screenshots, DOM snapshots, Playwright traces. Addressed by key
 * (`runs/<runId>/<attempt>/<kind>.<ext>`), never stored as bytes in Postgres.
 */
export interface ArtifactStore {
  /** Stores bytes under a key (overwrites). */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes under a key, or null when absent. */
  get(key: string): Promise<{ body: Buffer; contentType: string } | null>;
  /**
   * A link people (and the CRM) can open for `ttlSeconds`, made when a page, an API answer or a
   * CRM note is built; links are never stored. Async: S3 presigning is.
   */
  signedUrl(key: string, options: { ttlSeconds: number }): Promise<string>;
}

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
