// GET /api/artifacts/<key>?expires=…&sig=… — evidence (screenshot, DOM snapshot, trace) from the artifact store, for signed, unexpired links only.
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { getWebDeps, getWebLog } from "@/lib/server/web-deps";
import { createArtifactHandler } from "./artifact-handler";

export const dynamic = "force-dynamic";

export const GET = createArtifactHandler(getWebLog, () => {
  const { integrations } = getWebDeps();
  return { store: createArtifactStore(integrations), linkSecret: integrations.artifactLinks.secret };
});
