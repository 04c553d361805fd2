// GET /api/settings/recipe — the saved recipe, its versions and the retry bounds.
// PUT /api/settings/recipe — save a new version of the recipe ({ recipe, note }; audited).
import { z } from "zod";
import { fieldErrorResponse } from "@/lib/batches/field-errors";
import { getRecipeSettings, saveRecipeFromForm } from "@/lib/batches/recipe-settings";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/settings/recipe", access: { role: "viewer" } }, async ({ deps }) => {
  return getRecipeSettings(deps.db, { bounds: deps.integrations.retryBounds });
});

// Validated against the deployment's retry bounds inside saveRecipeFromForm.
const bodySchema = z.record(z.string(), z.unknown());

export const PUT = apiRoute({ name: "PUT /api/settings/recipe", access: { role: "ops" }, body: bodySchema }, async ({ body, deps, actor }) => {
  const result = await saveRecipeFromForm(deps.db, { body, bounds: deps.integrations.retryBounds, actor: actor.id });
  if (result.kind === "invalid") return fieldErrorResponse(result.fields);
  return Response.json(result.version, { status: 201 });
});
