import type { z } from "zod";
import { AppError } from "../errors/app-error";
import { fieldErrorsOf, formatZodIssues } from "./zod-issues";

/** Default limit of a JSON body handled by the route wrapper. */
export const DEFAULT_MAX_JSON_BYTES = 16 * 1024;

/** Reads a request body, refusing (413) past `maxBytes` without buffering more than that. */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError("payload_too_large", `Body larger than ${Math.round(maxBytes / 1024)} KiB.`);
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Parses a small JSON body against a schema (an empty body counts as `{}`); a readable 400 otherwise. */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = DEFAULT_MAX_JSON_BYTES): Promise<z.output<S>> {
  const raw = await readBodyLimited(request, maxBytes);
  let json: unknown = {};
  if (raw.byteLength > 0) {
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new AppError("bad_request", "The body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError("bad_request", formatZodIssues(parsed.error, "body"), { fields: fieldErrorsOf(parsed.error) });
  return parsed.data;
}
