import { z } from "zod";
import { verifyArtifactLink } from "@/lib/artifacts/signed-urls";
import { resolveDashboardActor } from "@/lib/auth/resolve-actor";
import { AppError } from "@/lib/errors/app-error";
import { createRouteFactory } from "@/lib/http/route";
import { ArtifactKeyError, assertArtifactKey, type ArtifactStore } from "@/lib/artifacts/store";
import type { Logger } from "@/lib/log";

export interface ArtifactRouteDeps {
  store: Pick<ArtifactStore, "get">;
  /** The secret the links were signed with (ARTIFACT_URL_SECRET). */
  linkSecret: string;
  now?: () => Date;
}

const REFUSALS = {
  unsigned: "This artifact link is not signed. Open the evidence from its case page.",
  bad_signature: "This artifact link is not valid. Open the evidence from its case page.",
  expired: "This artifact link has expired. Reload the case page (or open the case in Nightshift) for a fresh link.",
} as const;

/**
 * `GET /api/artifacts/<key>?expires=…&sig=…`: the bytes under `key` for a signed, unexpired link
 * (see lib/artifacts/signed-urls.ts). Bad key → 400, unsigned/forged/expired → 403, absent → 404.
 * DOM snapshots are served as text and everything under a sandbox CSP, never as our origin's HTML.
 */
export function createArtifactHandler(log: () => Logger, deps: () => ArtifactRouteDeps) {
  const route = createRouteFactory({ deps, resolveActor: resolveDashboardActor, log });
  return route({ name: "GET /api/artifacts", access: { role: "viewer" }, params: z.object({ key: z.array(z.string()).min(1) }) }, async ({ request, params, deps: { store, linkSecret, now } }) => {
    const key = params.key.join("/");
    try {
      assertArtifactKey(key);
    } catch (error) {
      if (error instanceof ArtifactKeyError) throw new AppError("bad_request", "Invalid artifact key.");
      throw error;
    }
    const query = new URL(request.url).searchParams;
    const check = verifyArtifactLink({ key, expires: query.get("expires"), sig: query.get("sig") }, linkSecret, now?.() ?? new Date());
    if (!check.ok) throw new AppError("forbidden", REFUSALS[check.reason]);

    const artifact = await store.get(key);
    if (!artifact) throw new AppError("not_found", "No such artifact.");
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
}
