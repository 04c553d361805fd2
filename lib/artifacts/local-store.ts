import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { signedArtifactUrl, type ArtifactLinkConfig } from "./signed-urls";
import { ArtifactKeyError, assertArtifactKey, contentTypeForKey, PROBE_KEY_PREFIX, type ArtifactBody, type ArtifactStore, type ArtifactStoreCheck, type StoredArtifact } from "./store";

/** The body as a stream (a buffer becomes a one-chunk stream; a file is read in chunks). */
export function bodyStream(body: ArtifactBody): Readable {
  if (Buffer.isBuffer(body)) return Readable.from([body]);
  if (body instanceof Readable) return body;
  return createReadStream(body.file);
}

/**
 * The default store: a local folder. Writes stream to a temp file and rename it into place (atomic),
 * reads stream from the file. Links point at the app's artifact route, signed with the configured
 * secret. Built by `createArtifactStore` only.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly kind = "local";

  constructor(
    private readonly root: string,
    private readonly links: ArtifactLinkConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private pathFor(key: string): string {
    assertArtifactKey(key);
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new ArtifactKeyError(`Artifact key escapes the store: ${key}`);
    return resolved;
  }

  async put(key: string, body: ArtifactBody, _contentType?: string): Promise<{ bytes: number }> {
    return this.write(this.pathFor(key), body);
  }

  private async write(file: string, body: ArtifactBody): Promise<{ bytes: number }> {
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    try {
      await pipeline(bodyStream(body), createWriteStream(temp));
      const { size } = await stat(temp);
      await rename(temp, file);
      return { bytes: size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredArtifact | null> {
    const file = this.pathFor(key);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return null;
    }
    return { body: createReadStream(file), contentType: contentTypeForKey(key), bytes: size };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathFor(key), { force: true });
  }

  async check(): Promise<ArtifactStoreCheck> {
    const file = path.join(this.root, PROBE_KEY_PREFIX, `${randomUUID()}.txt`);
    const payload = `nightshift probe ${this.now().toISOString()}`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, payload);
      const back = await readFile(file, "utf8");
      await rm(file, { force: true });
      if (back !== payload) return { ok: false, message: `The artifact folder ${this.root} returned other bytes than were written to it.` };
      return { ok: true, detail: `The artifact folder ${this.root} is writable and readable.` };
    } catch (error) {
      await rm(file, { force: true }).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, message: `The artifact folder ${this.root} is not writable and readable: ${reason}.` };
    }
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so a bad key rejects like S3 presigning will
  async signedUrl(key: string, options: { ttlSeconds: number }): Promise<string> {
    assertArtifactKey(key);
    return signedArtifactUrl(key, { ttlSeconds: options.ttlSeconds, now: this.now() }, this.links);
  }
}
