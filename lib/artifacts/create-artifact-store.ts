import { LocalArtifactStore } from "./local-store";
import type { ArtifactLinkConfig } from "./signed-urls";
import type { ArtifactStore } from "./store";

/**
 * What the artifact store is built from; `Integrations` (lib/config/integrations.ts) has this
 * shape, so composition roots pass it as it is. An S3 bucket joins here as another option.
 */
export interface ArtifactStoreConfig {
  /** The local store's folder. */
  artifactsDir: string;
  /** How links to artifacts are signed and where they point. */
  artifactLinks: ArtifactLinkConfig;
}

/** The one constructor of artifact stores (worker, web routes, tests). `now` is for tests. */
export function createArtifactStore(config: ArtifactStoreConfig, options: { now?: () => Date } = {}): ArtifactStore {
  return new LocalArtifactStore(config.artifactsDir, config.artifactLinks, options.now);
}
