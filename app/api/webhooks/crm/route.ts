// POST /api/webhooks/crm — a signed CRM event (Standard Webhooks): verify, de-duplicate, store, enqueue.
import { AppError } from "@/lib/errors/app-error";
import { readBodyLimited } from "@/lib/http/body";
import { apiRoute } from "@/lib/server/api-route";
import { handleCrmWebhook, MAX_WEBHOOK_BYTES } from "@/lib/webhooks/crm-webhook";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  // The CRM is a server, not a browser: its Standard Webhooks signature is its authentication.
  { name: "POST /api/webhooks/crm", access: "webhook", crossOrigin: "allowed: authenticated by signature" },
  async ({ request, deps }) => {
    const secret = deps.integrations.webhookSecret;
    if (!secret) throw new AppError("unavailable", "Webhooks are not configured (CRM_WEBHOOK_SECRET is unset).");
    let body: Buffer | "oversized";
    try {
      // Raw bytes, not parsed JSON: the signature covers exactly what was sent.
      body = await readBodyLimited(request, MAX_WEBHOOK_BYTES);
    } catch (error) {
      if (!(error instanceof AppError && error.code === "payload_too_large")) throw error;
      body = "oversized"; // refused without parsing, but still recorded as a rejected delivery
    }
    const result = await handleCrmWebhook({ db: deps.db, queue: await deps.queue, crm: deps.crm, log: deps.log, secret, maxAttempts: deps.integrations.retryPolicy.maxAttempts }, { headers: request.headers, body });
    return Response.json(result.body, { status: result.status });
  },
);
