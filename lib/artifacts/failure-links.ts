import type { FailureObject, StoredFailure } from "../domain/types";
import type { ArtifactStore } from "./store";

/**
 * The failure object people and the CRM see, from the one stored on the run: the evidence keys
 * become signed links valid for `ttlSeconds` (see `ARTIFACT_LINK_TTL_SECONDS`: `ui` for pages
 * and the API, `crmNote` for CRM notes). Same shape everywhere.
 */
export async function toFailureObject(stored: StoredFailure, store: Pick<ArtifactStore, "signedUrl">, options: { ttlSeconds: number }): Promise<FailureObject> {
  const { evidence, ...rest } = stored;
  const link = (key: string | null) => (key ? store.signedUrl(key, { ttlSeconds: options.ttlSeconds }) : Promise.resolve(null));
  const [screenshotUrl, domSnapshotUrl, traceUrl] = await Promise.all([link(evidence.screenshot), link(evidence.dom), link(evidence.trace)]);
  return { ...rest, screenshotUrl, domSnapshotUrl, traceUrl };
}
