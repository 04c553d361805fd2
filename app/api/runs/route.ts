// GET /api/runs — the runs view as JSON: runs newest first, filtered (oem, status, errorClass, batch, from, to, q, fingerprint), keyset-paged (cursor, limit).
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { getRunList } from "@/lib/runs/queries/get-run-list";
import { runListQuerySchema } from "@/lib/runs/queries/run-list-params";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/runs", access: { role: "viewer" }, query: runListQuerySchema }, async ({ query, deps }) =>
  getRunList(deps.db, { ...query, store: deps.store, ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }),
);
