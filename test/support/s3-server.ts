import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "@20minutes/s3rver";
import type { S3StoreConfig } from "@/lib/artifacts/s3-store";
import { trackResource } from "./resources";

/** s3rver's one account: it verifies SigV4 signatures made with these. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** A store config for one of the pre-created buckets (path-style). */
  storeConfig(bucket: string): S3StoreConfig;
  close(): Promise<void>;
}

/**
 * A real S3 protocol server (@20minutes/s3rver 4, which checks SigV4 signatures and presigned-URL
 * expiry) on a free port, its buckets created up front, its files in a throwaway folder.
 */
export async function startS3Server(buckets: readonly string[]): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, vhostBuckets: false, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  const { port } = await server.run();
  const release = trackResource(`s3rver :${port}`);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    storeConfig: (bucket) => ({ bucket, region: "us-east-1", endpoint, publicEndpoint: endpoint, forcePathStyle: true }),
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
      release();
    },
  };
}
