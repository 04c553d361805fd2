// POST /api/batches/steer — Run now's "Propose": an instruction in words read by the configured model into batch parameters, as a diff against the saved recipe (nothing is planned).
import { AppError } from "@/lib/errors/app-error";
import { apiRoute } from "@/lib/server/api-route";
import { steerRequestSchema } from "@/lib/steering/instruction";
import { steerRunNow } from "@/lib/steering/steer-run-now";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ name: "POST /api/batches/steer", access: { role: "ops" }, body: steerRequestSchema }, async ({ body, deps, actor }) => {
  const result = await steerRunNow(deps.db, { env: deps.env, bounds: deps.integrations.retryBounds, instruction: body.instruction, actor: actor.id });
  switch (result.kind) {
    case "no_model":
      throw new AppError("conflict", result.message);
    case "misconfigured":
      throw new AppError("unavailable", result.message);
    case "refused":
      throw new AppError("unprocessable", result.message);
    case "failed":
      throw new AppError(result.reason === "malformed" ? "unprocessable" : "unavailable", result.message);
    case "proposed":
      return result;
    default: {
      const never: never = result;
      throw new Error(`unknown steering result ${String(never)}`);
    }
  }
});
