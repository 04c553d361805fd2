// GET /api/artifacts/<key> — evidence (screenshot, DOM snapshot, trace) from the artifact store; keys are checked strictly.
import { ApiError, withApi } from "@/lib/api/errors";
import { ArtifactKeyError, assertArtifactKey, LocalArtifactStore } from "@/lib/artifacts/store";
import { getWebDeps, getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

export const GET = withApi(getWebLog, "GET /api/artifacts", async (_request: Request, context: { params: Promise<{ key: string[] }> }) => {
  const { key: segments } = await context.params;
  const key = segments.join("/");
  try {
    assertArtifactKey(key);
  } catch (error) {
    if (error instanceof ArtifactKeyError) throw new ApiError("bad_request", "Invalid artifact key.");
    throw error;
  }
  const store = new LocalArtifactStore(getWebDeps().integrations.artifactsDir);
  const artifact = await store.get(key);
  if (!artifact) throw new ApiError("not_found", "No such artifact.");
  const fileName = key.split("/").slice(1).join("-");
  const download = !artifact.contentType.startsWith("image/");
  return new Response(new Uint8Array(artifact.body), {
    headers: {
      "content-type": artifact.contentType,
      "content-length": String(artifact.body.byteLength),
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=3600, immutable",
      ...(download ? { "content-disposition": `attachment; filename="${fileName}"` } : {}),
    },
  });
});
