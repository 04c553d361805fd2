// GET /api/artifacts/<key>?expires=…&sig=… — evidence (screenshot, DOM snapshot, trace) from the artifact store, for signed, unexpired links only.
import { getWebDeps, getWebLog } from "@/lib/server/web-deps";
import { createArtifactHandler } from "./artifact-handler";

export const dynamic = "force-dynamic";

export const GET = createArtifactHandler(getWebLog, () => {
  const { integrations, store } = getWebDeps();
  return { store, linkSecret: integrations.artifactLinks.secret };
});
