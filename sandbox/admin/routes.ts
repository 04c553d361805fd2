// Sandbox admin API (no auth, JSON) under /sandbox/admin, plus /sandbox/health.

import { z } from "zod";
import type { SandboxRuntime } from "../context.js";
import { isOemId, OEM_IDS } from "../domain.js";
import { describeZodError, mergeFaults, parseFaultsPatch } from "../faults.js";
import { HttpError, readBody, sendJson, type Router } from "../http.js";
import { initialAccounts } from "../portals/accounts.js";
import { isBase32Secret } from "../portals/totp.js";

const resetSchema = z.strictObject({ seed: z.boolean().optional() });
const accountSchema = z.strictObject({
  username: z.string().min(1).max(200).optional(),
  password: z.string().min(1).max(500).optional(),
  /** Base32 (A–Z, 2–7, ≥ 16 characters) turns the portal's TOTP step on; null turns it off. */
  totpSecret: z
    .string()
    .transform((v) => v.replace(/\s/g, "").replace(/=+$/, "").toUpperCase())
    .refine(isBase32Secret, "must be a base32 secret (A–Z, 2–7) of at least 16 characters")
    .nullable()
    .optional(),
});
const webhookTargetSchema = z.strictObject({
  url: z.url().nullable(),
  secret: z.string().startsWith("whsec_", "must be a Standard Webhooks secret (whsec_…)").optional(),
});

async function readOptionalJson(req: Parameters<typeof readBody>[0]): Promise<unknown> {
  const body = await readBody(req, 1_000_000);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "invalid_json", "Request body is not valid JSON");
  }
}

function bad(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function registerAdminRoutes(router: Router, rt: SandboxRuntime, startedAt: number): void {
  router.get("/sandbox/health", ({ res }) => {
    sendJson(res, 200, {
      ok: true,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      cases: rt.state.cases.size,
      filings: rt.state.filings.length,
    });
  });

  router.get("/sandbox/admin/faults", ({ res }) => sendJson(res, 200, rt.faults));

  // Partial update: objects merge, omitted knobs keep their value.
  router.add("PUT", "/sandbox/admin/faults", async ({ req, res }) => {
    const parsed = parseFaultsPatch(await readOptionalJson(req));
    if (!parsed.ok) return sendJson(res, 400, bad("invalid_faults", parsed.reason));
    rt.faults = mergeFaults(rt.faults, parsed.patch);
    rt.logger.info({ faults: rt.faults }, "sandbox faults updated");
    sendJson(res, 200, rt.faults);
  });

  // Clears all state (cases, filings, sessions, writes, deliveries) and restores the start knobs.
  router.post("/sandbox/admin/reset", async ({ req, res }) => {
    const parsed = resetSchema.safeParse(await readOptionalJson(req));
    if (!parsed.success) return sendJson(res, 400, bad("invalid_reset", describeZodError(parsed.error)));
    rt.webhooks.cancelAll();
    rt.state.clear();
    rt.sessions.clear();
    rt.accounts = initialAccounts(rt.options);
    rt.faults = structuredClone(rt.options.initialFaults);
    if (parsed.data.seed ?? rt.options.seed) rt.reseed();
    rt.persist();
    sendJson(res, 200, { ok: true, cases: rt.state.cases.size, filings: rt.state.filings.length });
  });

  // Every filing across portals; `duplicates` lists references filed more than once per portal.
  router.get("/sandbox/admin/filings", ({ res, url }) => {
    const oem = url.searchParams.get("oem");
    const reference = url.searchParams.get("reference");
    const filings = rt.state.filings
      .filter((f) => oem === null || f.oem === oem)
      .filter((f) => reference === null || f.reference.toUpperCase() === reference.toUpperCase());
    const groups = new Map<string, string[]>();
    for (const f of filings) {
      const key = `${f.oem}|${f.reference.toUpperCase()}`;
      groups.set(key, [...(groups.get(key) ?? []), f.confirmationNumber]);
    }
    const duplicates = [...groups.entries()]
      .filter(([, numbers]) => numbers.length > 1)
      .map(([key, numbers]) => {
        const [o = "", ref = ""] = key.split("|");
        return { oem: o, reference: ref, count: numbers.length, confirmationNumbers: numbers };
      });
    sendJson(res, 200, {
      filings: filings.map((f) => ({
        oem: f.oem,
        reference: f.reference,
        confirmationNumber: f.confirmationNumber,
        filedAt: f.filedAt,
        unitId: f.unitId,
        kind: f.kind,
        duplicateOf: f.duplicateOf,
        document: f.document,
        fields: f.fields,
      })),
      duplicates,
    });
  });

  router.get("/sandbox/admin/crm/writes", ({ res, url }) => {
    const caseId = url.searchParams.get("caseId");
    const writes = rt.state.writes.filter((w) => caseId === null || w.caseId === caseId);
    sendJson(res, 200, { writes, effects: writes.filter((w) => w.tookEffect).length });
  });

  router.get("/sandbox/admin/crm/deliveries", ({ res }) => {
    sendJson(res, 200, { deliveries: rt.state.deliveries });
  });

  // Convenience: all cases without CRM auth (for demos and test assertions).
  router.get("/sandbox/admin/crm/cases", ({ res }) => {
    sendJson(res, 200, { cases: [...rt.state.cases.values()] });
  });

  for (const [action, type] of [
    ["urgent", "case.urgent"],
    ["touch", "case.updated"],
  ] as const) {
    // urgent: marks the case urgent and emits case.urgent; touch: bumps updatedAt and emits case.updated.
    router.post(`/sandbox/admin/crm/cases/:id/${action}`, ({ res, params }) => {
      const target = rt.state.cases.get(params.id ?? "");
      if (!target) return sendJson(res, 404, bad("not_found", `No case ${params.id ?? ""}`));
      if (action === "urgent") target.priority = "urgent";
      target.updatedAt = new Date().toISOString();
      rt.persist();
      const delivery = rt.webhooks.emit(type, target.id);
      sendJson(res, 200, { case: target, webhookId: delivery?.id ?? null });
    });
  }

  // Gives a case an OEM the CRM knows but Nightshift does not file for (tests of the "unknown OEM"
  // path); emits case.updated like any other change.
  router.post("/sandbox/admin/crm/cases/:id/foreign-oem", async ({ req, res, params }) => {
    const target = rt.state.cases.get(params.id ?? "");
    if (!target) return sendJson(res, 404, bad("not_found", `No case ${params.id ?? ""}`));
    const parsed = z.strictObject({ oem: z.string().trim().min(1).max(60) }).safeParse(await readOptionalJson(req));
    if (!parsed.success) return sendJson(res, 400, bad("invalid_body", describeZodError(parsed.error)));
    (target as { oem: string }).oem = parsed.data.oem;
    target.updatedAt = new Date().toISOString();
    rt.persist();
    const delivery = rt.webhooks.emit("case.updated", target.id);
    sendJson(res, 200, { case: target, webhookId: delivery?.id ?? null });
  });

  router.get("/sandbox/admin/crm/webhook", ({ res }) => {
    const target = rt.webhooks.getTarget();
    sendJson(res, 200, { url: target?.url ?? null, secretConfigured: target !== null });
  });

  // Points CRM webhooks elsewhere at runtime ({ url: null } turns them off). The secret is never echoed.
  router.add("PUT", "/sandbox/admin/crm/webhook", async ({ req, res }) => {
    const parsed = webhookTargetSchema.safeParse(await readOptionalJson(req));
    if (!parsed.success) return sendJson(res, 400, bad("invalid_webhook_target", describeZodError(parsed.error)));
    const { url, secret } = parsed.data;
    if (url === null) {
      rt.webhooks.setTarget(null);
    } else {
      const effectiveSecret = secret ?? rt.webhooks.getTarget()?.secret;
      if (!effectiveSecret) return sendJson(res, 400, bad("invalid_webhook_target", "secret: required when no secret is configured yet"));
      try {
        rt.webhooks.setTarget({ url, secret: effectiveSecret });
      } catch {
        return sendJson(res, 400, bad("invalid_webhook_target", "secret: not a valid base64 Standard Webhooks secret"));
      }
    }
    sendJson(res, 200, { url, secretConfigured: url !== null });
  });

  // Signed-in sessions per portal (see portals/sessions.ts for what counts as one): open now, the
  // most open at any instant since the last reset, and sign-ins.
  router.get("/sandbox/admin/portals/sessions", ({ res }) => {
    sendJson(res, 200, {
      idleTimeoutMs: rt.sessions.idleTimeoutMs,
      portals: Object.fromEntries(OEM_IDS.map((oem) => [oem, rt.sessions.statsFor(oem)])),
    });
  });

  // Starts a new measurement without signing anyone out: maxObserved restarts from the open sessions.
  router.post("/sandbox/admin/portals/sessions/reset", ({ res }) => {
    rt.sessions.resetStats();
    sendJson(res, 200, { ok: true });
  });

  // A portal account as the portal knows it: the username and whether it asks for a one-time code (never the password or secret).
  router.get("/sandbox/admin/portals/:oem/account", ({ res, params }) => {
    const oem = params.oem ?? "";
    if (!isOemId(oem)) return sendJson(res, 404, bad("not_found", `Unknown portal ${oem}`));
    sendJson(res, 200, { username: rt.accounts[oem].username, totp: rt.accounts[oem].totpSecret !== null });
  });

  // Changes a portal account (a password rotation on the portal's side, the TOTP step on or off).
  // Like real portals, a changed password or second factor ends the account's open sessions.
  router.add("PUT", "/sandbox/admin/portals/:oem/account", async ({ req, res, params }) => {
    const oem = params.oem ?? "";
    if (!isOemId(oem)) return sendJson(res, 404, bad("not_found", `Unknown portal ${oem}`));
    const parsed = accountSchema.safeParse(await readOptionalJson(req));
    if (!parsed.success) return sendJson(res, 400, bad("invalid_account", describeZodError(parsed.error)));
    const before = rt.accounts[oem];
    const next = {
      username: parsed.data.username ?? before.username,
      password: parsed.data.password ?? before.password,
      totpSecret: parsed.data.totpSecret === undefined ? before.totpSecret : parsed.data.totpSecret,
    };
    const signedOut = rt.sessions.destroyAccount(oem, before.username);
    rt.accounts[oem] = next;
    rt.sessions.resetFailures(oem);
    rt.logger.info({ oem, totp: next.totpSecret !== null }, "sandbox portal account changed");
    sendJson(res, 200, { username: next.username, totp: next.totpSecret !== null, signedOut });
  });

  // Clears failed-login counters (lifts a lockout) for one portal.
  router.post("/sandbox/admin/portals/:oem/unlock", ({ res, params }) => {
    const oem = params.oem ?? "";
    if (!isOemId(oem)) return sendJson(res, 404, bad("not_found", `Unknown portal ${oem}`));
    rt.sessions.resetFailures(oem);
    sendJson(res, 200, { ok: true });
  });
}
