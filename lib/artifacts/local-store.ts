import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { signedArtifactUrl, type ArtifactLinkConfig } from "./signed-urls";
import { ArtifactKeyError, assertArtifactKey, contentTypeForKey, type ArtifactStore } from "./store";

/**
 * The default store: a local folder. Writes are atomic (temp file + rename). Links point at the
 * app's artifact route, signed with the configured secret. Built by `createArtifactStore` only.
 */
export class LocalArtifactStore implements ArtifactStore {
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

  async put(key: string, body: Buffer, _contentType?: string): Promise<void> {
    const file = this.pathFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, body);
    await rename(temp, file);
  }

  async get(key: string): Promise<{ body: Buffer; contentType: string } | null> {
    const file = this.pathFor(key);
    try {
      await stat(file);
    } catch {
      return null;
    }
    return { body: await readFile(file), contentType: contentTypeForKey(key) };
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so a bad key rejects like S3 presigning will
  async signedUrl(key: string, options: { ttlSeconds: number }): Promise<string> {
    assertArtifactKey(key);
    return signedArtifactUrl(key, { ttlSeconds: options.ttlSeconds, now: this.now() }, this.links);
  }
}
