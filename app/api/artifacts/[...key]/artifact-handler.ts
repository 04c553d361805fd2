import { Readable } from "node:stream";
import { z } from "zod";
import { ARTIFACT_VIEW_PARAM } from "@/lib/artifacts/artifact-links";
import { verifyArtifactLink } from "@/lib/artifacts/signed-urls";
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

/** Everything we serve: no scripts, no plugins, an opaque origin; the bytes are never sniffed. */
const ARTIFACT_CSP = "default-src 'none'; sandbox";

/**
 * A DOM snapshot rendered for reading: HTML, but sandboxed (no scripts, an opaque origin), with no
 * network at all (only inline styles and data: images), framed only by our own pages.
 */
export const DOM_VIEW_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** Browsers may keep a signed response while its link lives, at most an hour. */
const MAX_CACHE_SECONDS = 3600;

/**
 * `GET /api/artifacts/<key>?expires=…&sig=…`: the bytes under `key` for a signed, unexpired link
 * (see lib/artifacts/signed-urls.ts). Bad key → 400, unsigned/forged/expired → 403, absent → 404.
 * Everything is served under a sandbox CSP; DOM snapshots are a text download, or with `&view=1`
 * a sandboxed HTML page without scripts or network (for the case page's iframe and "open in a tab").
 */
export function createArtifactHandler(log: () => Logger, deps: () => ArtifactRouteDeps) {
  // The link is the credential: signed and expiring (CRM notes carry them too), like a presigned S3 URL.
  const route = createRouteFactory({ deps, resolveActor: () => Promise.resolve(null), log });
  return route({ name: "GET /api/artifacts", access: "signed-url", params: z.object({ key: z.array(z.string()).min(1) }) }, async ({ request, params, deps: { store, linkSecret, now } }) => {
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
    const maxAge = Math.max(0, Math.min(MAX_CACHE_SECONDS, Math.floor((check.expiresAt.getTime() - (now?.() ?? new Date()).getTime()) / 1000)));
    const common = {
      ...(artifact.bytes !== null ? { "content-length": String(artifact.bytes) } : {}),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": `private, max-age=${maxAge}, immutable`,
    };
    // Streamed from the store (a trace is never held whole in memory).
    const body = Readable.toWeb(artifact.body) as ReadableStream<Uint8Array>;
    if (query.get(ARTIFACT_VIEW_PARAM) === "1" && key.endsWith(".html")) {
      return new Response(body, {
        headers: { ...common, "content-type": "text/html; charset=utf-8", "content-security-policy": DOM_VIEW_CSP, "content-disposition": `inline; filename="${fileName}"` },
      });
    }
    const download = !artifact.contentType.startsWith("image/");
    return new Response(body, {
      headers: {
        ...common,
        "content-type": artifact.contentType,
        "content-security-policy": ARTIFACT_CSP,
        ...(download ? { "content-disposition": `attachment; filename="${fileName}"` } : {}),
      },
    });
  });
}
