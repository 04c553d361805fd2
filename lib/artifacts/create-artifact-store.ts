import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { LocalArtifactStore } from "./local-store";
import { S3ArtifactStore, type S3StoreConfig } from "./s3-store";
import type { ArtifactLinkConfig } from "./signed-urls";
import type { ArtifactStore } from "./store";

/**
 * What the artifact store is built from; `Integrations` (lib/config/integrations.ts) has this
 * shape, so composition roots pass it as it is.
 */
export interface ArtifactStoreConfig {
  /** The local store's folder. */
  artifactsDir: string;
  /** How links to artifacts are signed and where they point. */
  artifactLinks: ArtifactLinkConfig;
  /** ARTIFACT_STORE=s3: the bucket; absent or null: the local folder. */
  artifactS3?: S3StoreConfig | null;
}

/** The one constructor of artifact stores (worker, web routes, tests). `now` and `credentials` are for tests. */
export function createArtifactStore(config: ArtifactStoreConfig, options: { now?: () => Date; credentials?: S3ClientConfig["credentials"] } = {}): ArtifactStore {
  if (config.artifactS3) return new S3ArtifactStore(config.artifactS3, config.artifactLinks, options.now, options.credentials);
  return new LocalArtifactStore(config.artifactsDir, config.artifactLinks, options.now);
}
