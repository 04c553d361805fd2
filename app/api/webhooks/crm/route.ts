// POST /api/webhooks/crm — a signed CRM event (Standard Webhooks): verify, de-duplicate, store, enqueue.
import { NextResponse } from "next/server";
import { ApiError, errorResponse, readBodyLimited, withApi } from "@/lib/api/errors";
import { getJobQueue, getWebDeps, getWebLog } from "@/lib/server/web-deps";
import { handleCrmWebhook, MAX_WEBHOOK_BYTES } from "@/lib/webhooks/crm-webhook";

export const dynamic = "force-dynamic";

export const POST = withApi(getWebLog, "POST /api/webhooks/crm", async (request: Request) => {
  const deps = getWebDeps();
  const secret = deps.integrations.webhookSecret;
  if (!secret) return errorResponse("unavailable", "Webhooks are not configured (CRM_WEBHOOK_SECRET is unset).");
  let body: Buffer | "oversized";
  try {
    body = await readBodyLimited(request, MAX_WEBHOOK_BYTES);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "payload_too_large")) throw error;
    body = "oversized"; // refused without parsing, but still recorded as a rejected delivery
  }
  const result = await handleCrmWebhook({ ...deps, queue: await getJobQueue(), secret, maxAttempts: deps.integrations.retryPolicy.maxAttempts }, { headers: request.headers, body });
  return NextResponse.json(result.body, { status: result.status });
});
