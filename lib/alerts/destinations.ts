/**
 * Alert destinations (admins, Settings → Alerts and digest): an email address or a webhook URL,
 * each choosing whether it receives critical alerts, the morning digest, or both. A webhook gets
 * its own Standard Webhooks secret, generated here, returned once by `createDestination`, and
 * kept sealed (AES-256-GCM, the destination id as authenticated data); reads never return it.
 * Every change is audited, without secrets.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { alertDestinations, auditLog } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { open, seal } from "../secrets/seal";
import type { SecretKeys } from "../secrets/secret-key";
import type { AlertDestinationKind } from "./vocabulary";

/** The HKDF purpose of the key that seals webhook secrets. */
export const ALERT_WEBHOOK_SECRET_PURPOSE = "alert-webhook-secret";

const label = z.string().trim().max(80, "A label has at most 80 characters.").optional();
const receives = {
  receivesAlerts: z.boolean({ error: "Say whether it receives critical alerts: true or false." }).default(true),
  receivesDigest: z.boolean({ error: "Say whether it receives the morning digest: true or false." }).default(true),
};
const EMAIL_SENTENCE = "Enter an email address, e.g. ops@example.com.";
const URL_SENTENCE = "Enter a webhook URL that starts with http:// or https://.";

/** A new destination, as the Settings form (and POST /api/settings/alerts/destinations) sends it. */
export const destinationInputSchema = z
  .discriminatedUnion(
    "kind",
    [
      z.object({
        kind: z.literal("email"),
        target: z.string({ error: EMAIL_SENTENCE }).trim().toLowerCase().pipe(z.email(EMAIL_SENTENCE)).pipe(z.string().max(254, "An email address has at most 254 characters.")),
        label,
        ...receives,
      }),
      z.object({
        kind: z.literal("webhook"),
        target: z
          .string({ error: URL_SENTENCE })
          .trim()
          .max(2000, "A webhook URL has at most 2,000 characters.")
          .pipe(z.url({ protocol: /^https?$/, error: URL_SENTENCE })),
        label,
        ...receives,
      }),
    ],
    { error: "Choose email or webhook." },
  )
  .refine((input) => input.receivesAlerts || input.receivesDigest, { message: "Choose at least one thing to receive: critical alerts or the morning digest.", path: ["receivesAlerts"] });
export type DestinationInput = z.infer<typeof destinationInputSchema>;

/** A change to a destination: what it receives, or enabled/disabled. */
export const destinationPatchSchema = z
  .object({ enabled: z.boolean().optional(), receivesAlerts: z.boolean().optional(), receivesDigest: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: "Say what to change: enabled, receivesAlerts or receivesDigest." });
export type DestinationPatch = z.infer<typeof destinationPatchSchema>;

/** A destination as the Settings page reads it (no secret; a webhook URL shown masked). */
export interface DestinationView {
  id: string;
  kind: AlertDestinationKind;
  /** Email address in full; a webhook URL as origin + masked path (chat webhook paths are often secrets). */
  target: string;
  label: string | null;
  receivesAlerts: boolean;
  receivesDigest: boolean;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
}

/** "https://hooks.example.com/…a1b2": the origin and the last four characters of the rest. */
export function maskTarget(kind: AlertDestinationKind, target: string): string {
  if (kind === "email") return target;
  try {
    const url = new URL(target);
    const rest = `${url.pathname}${url.search}`;
    return rest.length <= 1 ? url.origin : `${url.origin}/…${rest.slice(-4)}`;
  } catch {
    return "(invalid URL)";
  }
}

/** A fresh Standard Webhooks secret: "whsec_" + 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

type DestinationRow = typeof alertDestinations.$inferSelect;

function toView(row: DestinationRow): DestinationView {
  return {
    id: row.id,
    kind: row.kind,
    target: maskTarget(row.kind, row.target),
    label: row.label,
    receivesAlerts: row.receivesAlerts,
    receivesDigest: row.receivesDigest,
    enabled: row.enabled,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Opens a webhook destination's secret for signing (the worker, per delivery). */
export function openWebhookSecret(keys: SecretKeys, row: { id: string; sealedSecret: string | null }): string {
  if (!row.sealedSecret) throw new Error("This webhook destination has no secret.");
  return open(keys, row.sealedSecret, { purpose: ALERT_WEBHOOK_SECRET_PURPOSE, aad: row.id });
}

/** Every destination, newest first. */
export async function listDestinations(db: Db): Promise<DestinationView[]> {
  const rows = await db.select().from(alertDestinations).orderBy(desc(alertDestinations.createdAt));
  return rows.map(toView);
}

/**
 * Adds a destination. For a webhook the answer carries its signing secret: the only time it is
 * shown. Invalid input is refused with a sentence and changes nothing.
 */
export async function createDestination(db: Db, keys: SecretKeys, params: { input: unknown; actor: string }): Promise<{ destination: DestinationView; secret: string | null }> {
  const parsed = destinationInputSchema.safeParse(params.input);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[issue.path.map(String).join(".")] ??= []).push(issue.message);
    throw new AppError("bad_request", parsed.error.issues.map((i) => i.message).join(" "), { fields });
  }
  const input = parsed.data;
  const id = randomUUID();
  const secret = input.kind === "webhook" ? generateWebhookSecret() : null;
  const sealed = secret ? seal(keys, secret, { purpose: ALERT_WEBHOOK_SECRET_PURPOSE, aad: id }) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertDestinations)
      .values({
        id,
        kind: input.kind,
        target: input.target,
        label: input.label || null,
        receivesAlerts: input.receivesAlerts,
        receivesDigest: input.receivesDigest,
        sealedSecret: sealed?.sealed ?? null,
        secretKeyId: sealed?.keyId ?? null,
        createdBy: params.actor,
      })
      .returning();
    await tx.insert(auditLog).values({
      actor: params.actor,
      action: "add_alert_destination",
      details: { destinationId: id, kind: input.kind, target: maskTarget(input.kind, input.target), receivesAlerts: input.receivesAlerts, receivesDigest: input.receivesDigest },
    });
    return { destination: toView(row!), secret };
  });
}

/** Enables/disables a destination or changes what it receives. Audited. */
export async function updateDestination(db: Db, params: { id: string; patch: DestinationPatch; actor: string }): Promise<DestinationView> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(alertDestinations).where(eq(alertDestinations.id, params.id)).for("update");
    if (!before) throw new AppError("not_found", "No such destination.");
    const next = { receivesAlerts: params.patch.receivesAlerts ?? before.receivesAlerts, receivesDigest: params.patch.receivesDigest ?? before.receivesDigest };
    if (!next.receivesAlerts && !next.receivesDigest) throw new AppError("bad_request", "A destination must receive critical alerts, the morning digest, or both; disable it instead.");
    const [row] = await tx
      .update(alertDestinations)
      .set({ ...params.patch, updatedAt: sql`now()` })
      .where(eq(alertDestinations.id, params.id))
      .returning();
    await tx.insert(auditLog).values({ actor: params.actor, action: "update_alert_destination", details: { destinationId: params.id, target: maskTarget(before.kind, before.target), ...params.patch } });
    return toView(row!);
  });
}

/** Removes a destination and its delivery history. Audited. */
export async function deleteDestination(db: Db, params: { id: string; actor: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(alertDestinations).where(eq(alertDestinations.id, params.id)).returning({ kind: alertDestinations.kind, target: alertDestinations.target });
    if (!row) throw new AppError("not_found", "No such destination.");
    await tx.insert(auditLog).values({ actor: params.actor, action: "delete_alert_destination", details: { destinationId: params.id, kind: row.kind, target: maskTarget(row.kind, row.target) } });
  });
}
