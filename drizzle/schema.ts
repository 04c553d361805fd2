/**
 * Nightshift's tables (schema `public`; graphile-worker keeps its own `graphile_worker` schema in
 * the same database).
 *
 * Glossary — OEM: a manufacturer and its portal. Case: one CRM object to submit. Batch: one
 * planned pass over many cases. Run: one case's submission inside a batch (or an urgent one-off).
 * Attempt: one execution of the adapter for a run. Artifact: evidence of an attempt (screenshot,
 * DOM snapshot, trace), stored by key in the artifact store. Outbox entry: a pending CRM
 * write-back, delivered at least once and applied once by its idempotency key.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { MorningDigest } from "../lib/batches/digest-types";
import type { BatchPlan, Recipe } from "../lib/batches/recipe";
import type { CrmNote, CrmStatusUpdate } from "../lib/crm/types";
import type { StepRecord, StoredFailure } from "../lib/domain/types";
import type {
  AlertSeverity,
  ArtifactKind,
  AttemptStatus,
  BatchStatus,
  BatchTrigger,
  CaseStatus,
  ErrorClass,
  OutboxKind,
  OutboxStatus,
  RunStatus,
  WebhookVerdict,
} from "../lib/domain/vocabulary";
import type { AlertDeliveryStatus, AlertDestinationKind, AlertMessageType } from "../lib/alerts/vocabulary";
import type { AlertMessage } from "../lib/alerts/message";
import type { ElementFingerprint, LocatorRecipe } from "../lib/healing/types";
import type { HealChange, HealingReport, HealProposer, HealSnapshot, HealStatus, HealUse, LlmCallOutcome, LlmPurpose } from "../lib/healing/records";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const oems = pgTable("oems", {
  id: text("id").primaryKey(),
  label: text("label").notNull(),
  /** Brand colour as a CSS colour; data, shown in the OEM badge. */
  color: text("color").notNull(),
  monogram: text("monogram").notNull(),
  portalUrl: text("portal_url"),
  /** Set when the OEM's queue is paused (e.g. credentials refused); cleared by ops. */
  pausedAt: timestamp("paused_at", { withTimezone: true }),
  pausedReason: text("paused_reason"),
  createdAt: createdAt(),
});

export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    crmId: text("crm_id").notNull(),
    reference: text("reference").notNull(),
    oemId: text("oem_id")
      .notNull()
      .references(() => oems.id),
    kind: text("kind").notNull(),
    formData: jsonb("form_data").$type<Record<string, unknown>>().notNull().default({}),
    redactionSensitive: boolean("redaction_sensitive").notNull().default(false),
    /** The CRM's priority ("normal" | "urgent"); `urgent_first` batches file urgent cases first. */
    crmPriority: text("crm_priority").notNull().default("normal"),
    /** The status the CRM last told us (or we last wrote to it). */
    crmStatus: text("crm_status").notNull(),
    /** Our view (CASE_STATUSES): pending → queued → running → submitted | needs_review | parked | failed. */
    status: text("status").$type<CaseStatus>().notNull().default("pending"),
    confirmationNumber: text("confirmation_number"),
    crmUpdatedAt: timestamp("crm_updated_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("cases_crm_id_key").on(t.crmId),
    index("cases_oem_status_idx").on(t.oemId, t.status),
    // "Part of a reference" search in the runs view (ILIKE '%…%'): trigrams (pg_trgm, created by the migration).
    index("cases_reference_trgm_idx").using("gin", t.reference.op("gin_trgm_ops")),
  ],
);

export const batches = pgTable(
  "batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trigger: text("trigger").$type<BatchTrigger>().notNull(),
    /** The recipe it ran with (the saved one, or Run now's one-off change of it). */
    parameters: jsonb("parameters").$type<BatchPlan>().notNull().default(sql`'{}'::jsonb`),
    /** The saved recipe version it was planned from (null: none saved yet, or no recipe). */
    recipeVersion: integer("recipe_version"),
    status: text("status").$type<BatchStatus>().notNull().default("planned"),
    /** The morning SLA: by when every case must be submitted or explained. */
    deadline: timestamp("deadline", { withTimezone: true }),
    /** Nightly batches: the local night they belong to ("2026-12-02" in the schedule's zone); unique. */
    nightKey: text("night_key"),
    /** Nightly batches: the slot instant the schedule named. */
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    /** Started after its slot because no worker was up at the slot, before the deadline. */
    backfilled: boolean("backfilled").notNull().default(false),
    /** Started after its deadline had already passed. */
    late: boolean("late").notNull().default(false),
    /** Set the first time the projected finish passed the deadline. */
    atRiskSince: timestamp("at_risk_since", { withTimezone: true }),
    caseCount: integer("case_count").notNull().default(0),
    /** Who started it: a person's id, or "schedule" / "system". */
    createdBy: text("created_by").notNull().default("system"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledBy: text("cancelled_by"),
    cancelReason: text("cancel_reason"),
    /** The morning digest, built once at the deadline or when the batch finishes. */
    digest: jsonb("digest").$type<MorningDigest>(),
    /** Run now's instruction in plain words, when ops steered the batch with one (the parameters it became are `parameters`). */
    instruction: text("instruction"),
    digestBuiltAt: timestamp("digest_built_at", { withTimezone: true }),
    /** Whether every eligible case was submitted or explained before the deadline (set with the digest). */
    metSla: boolean("met_sla"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("batches_created_at_idx").on(t.createdAt),
    // Exactly one nightly batch per local night, however many workers tick at once.
    uniqueIndex("batches_night_key_key").on(t.nightKey).where(sql`night_key is not null`),
  ],
);

/** The nightly schedule (one row, id "nightly"): see lib/schedule/schedule.ts. */
export const scheduleSettings = pgTable("schedule_settings", {
  id: text("id").primaryKey(),
  enabled: boolean("enabled").notNull(),
  /** Local "HH:MM". */
  time: text("time").notNull(),
  timeZone: text("time_zone").notNull(),
  /** Local "HH:MM". */
  deadline: text("deadline").notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: updatedAt(),
});

/** Each save of the recipe is a new version; the latest is the saved recipe. */
export const recipeVersions = pgTable("recipe_versions", {
  version: integer("version").primaryKey(),
  recipe: jsonb("recipe").$type<Recipe>().notNull(),
  author: text("author").notNull(),
  /** Why it changed (free text from the form). */
  note: text("note").notNull().default(""),
  createdAt: createdAt(),
});

/**
 * Portal session slots: a row per browser session open on a portal. A run takes a free slot
 * number below its portal's limit before it opens a browser (the primary key makes two workers
 * racing for the same slot conflict), and gives it back when its attempt ends. A dead worker's
 * slots are freed by the heartbeat sweep.
 */
export const portalSessions = pgTable(
  "portal_sessions",
  {
    oemId: text("oem_id")
      .notNull()
      .references(() => oems.id),
    slot: integer("slot").notNull(),
    workerId: text("worker_id").notNull(),
    runId: uuid("run_id").references(() => runs.id),
    acquiredAt: timestamp("acquired_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.oemId, t.slot] }), index("portal_sessions_worker_idx").on(t.workerId)],
);

export const runs = pgTable(
  "runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    batchId: uuid("batch_id").references(() => batches.id),
    /** RUN_STATUSES: queued → running (→ retry_scheduled → running …) → a terminal status. */
    status: text("status").$type<RunStatus>().notNull().default("queued"),
    priority: integer("priority").notNull().default(0),
    /** A dry run: every step up to the final submit, nothing filed (from its batch's recipe). */
    dryRun: boolean("dry_run").notNull().default(false),
    attemptCount: integer("attempt_count").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    confirmationNumber: text("confirmation_number"),
    errorClass: text("error_class").$type<ErrorClass>(),
    errorCode: text("error_code"),
    /** The failure object of a terminal fail, with artifact keys (links are made when it is read). */
    failure: jsonb("failure").$type<StoredFailure>(),
    /**
     * Of a terminal fail: OEM × failing step × error code × normalised message (lib/runs/failure.ts),
     * the triage group's key. Not the class: a class override keeps the run in its group.
     */
    fingerprint: text("fingerprint"),
    /** Set just before the final submit click; a successor that finds it searches the portal first. */
    submitClickedAt: timestamp("submit_clicked_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("runs_case_idx").on(t.caseId),
    index("runs_batch_idx").on(t.batchId),
    index("runs_status_idx").on(t.status),
    // The runs view: newest first, keyset-paginated on (created_at, id).
    index("runs_created_idx").on(t.createdAt.desc(), t.id.desc()),
    // Triage: a group's runs, newest failure first.
    index("runs_fingerprint_idx").on(t.fingerprint, t.finishedAt.desc()).where(sql`fingerprint is not null`),
    // The runs view filtered by batch or group, newest first, without a sort.
    index("runs_batch_created_idx").on(t.batchId, t.createdAt.desc(), t.id.desc()),
    index("runs_fingerprint_created_idx").on(t.fingerprint, t.createdAt.desc(), t.id.desc()).where(sql`fingerprint is not null`),
    // At most one open run per case: a duplicate webhook or a second "urgent" cannot start a second filing.
    uniqueIndex("runs_one_open_per_case")
      .on(t.caseId)
      .where(sql`status in ('queued', 'running', 'retry_scheduled')`),
  ],
);

export const attempts = pgTable(
  "attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id),
    number: integer("number").notNull(),
    status: text("status").$type<AttemptStatus>().notNull().default("running"),
    workerId: text("worker_id"),
    steps: jsonb("steps").$type<StepRecord[]>().notNull().default([]),
    lastStep: text("last_step"),
    errorClass: text("error_class").$type<ErrorClass>(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    portalUrl: text("portal_url"),
    /** When the attempt could first have started (its run was queued, or its retry came due): queue wait = started_at − queued_at. */
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** What replay and healing did in this attempt (lib/healing/records.ts); null before issue 12 or without targets. */
    healing: jsonb("healing").$type<HealingReport>(),
  },
  (t) => [uniqueIndex("attempts_run_number_key").on(t.runId, t.number), index("attempts_started_at_idx").on(t.startedAt)],
);

export const artifacts = pgTable(
  "artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id),
    attemptId: uuid("attempt_id")
      .notNull()
      .references(() => attempts.id),
    kind: text("kind").$type<ArtifactKind>().notNull(),
    key: text("key").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    step: text("step"),
    createdAt: createdAt(),
    /** When retention deleted the object (the row stays, so the run keeps a note that its evidence expired). */
    expiredAt: timestamp("expired_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("artifacts_key_key").on(t.key),
    index("artifacts_run_idx").on(t.runId),
    index("artifacts_attempt_idx").on(t.attemptId),
    // Retention (prune_artifacts): the oldest artifacts not yet expired.
    index("artifacts_unexpired_created_idx").on(t.createdAt).where(sql`expired_at is null`),
  ],
);

export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    runId: uuid("run_id").references(() => runs.id),
    kind: text("kind").$type<OutboxKind>().notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** A `CrmStatusUpdate` for kind `status`, a `CrmNote` for kind `note`. */
    payload: jsonb("payload").$type<CrmStatusUpdate | CrmNote>().notNull(),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    deliveryAttempts: integer("delivery_attempts").notNull().default(0),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("outbox_idempotency_key_key").on(t.idempotencyKey), index("outbox_status_idx").on(t.status)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: text("webhook_id"),
    eventType: text("event_type"),
    verdict: text("verdict").$type<WebhookVerdict>().notNull(),
    httpStatus: integer("http_status").notNull(),
    reason: text("reason"),
    caseCrmId: text("case_crm_id"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_accepted_id_key").on(t.webhookId).where(sql`verdict = 'accepted'`),
    index("webhook_deliveries_received_at_idx").on(t.receivedAt),
  ],
);

export const workerHeartbeats = pgTable("worker_heartbeats", {
  id: text("id").primaryKey(),
  /** graphile-worker's pool id (`locked_by` on its jobs), used to unlock a dead worker's jobs. */
  poolId: text("pool_id"),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  concurrency: integer("concurrency").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  stoppedAt: timestamp("stopped_at", { withTimezone: true }),
});

export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    severity: text("severity").$type<AlertSeverity>().notNull(),
    kind: text("kind").notNull(),
    oemId: text("oem_id").references(() => oems.id),
    message: text("message").notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("alerts_open_idx").on(t.resolvedAt)],
);

/** Who did what by hand (class overrides, retries, resumed portals): never updated, only added. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    runId: uuid("run_id").references(() => runs.id),
    oemId: text("oem_id").references(() => oems.id),
    /** Set when the action was one run of a bulk action (e.g. a group retry). */
    bulkActionId: uuid("bulk_action_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_run_idx").on(t.runId)],
);

/** A triage group someone has looked at: its fingerprint, their note, who and when. Failures seen after `acknowledgedAt` reopen it. */
export const triageAcknowledgements = pgTable("triage_acknowledgements", {
  fingerprint: text("fingerprint").primaryKey(),
  note: text("note").notNull(),
  actor: text("actor").notNull(),
  acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A named action on many runs at once (retry or cancel a selection in the runs view, retry or
 * reclassify a triage group): what was selected (the filter or the ids), how many runs it touched
 * and what happened to them. Never updated after it is written; audit_log rows point at it.
 */
export const bulkActions = pgTable(
  "bulk_actions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** e.g. "retry", "cancel", "group_retry", "group_class". */
    action: text("action").notNull(),
    /** A person's name for it, or one made from the selection ("Retry 12 Arden site-changed runs"). */
    name: text("name").notNull(),
    /** What was selected: `{ filter: {...} }`, `{ runIds: [...] }` or `{ fingerprint }`. */
    selection: jsonb("selection").$type<Record<string, unknown>>().notNull(),
    /** Per outcome, how many runs: e.g. { retried: 10, skipped: 2 }. */
    results: jsonb("results").$type<Record<string, number>>().notNull().default({}),
    runCount: integer("run_count").notNull(),
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("bulk_actions_created_at_idx").on(t.createdAt)],
);


// ── People (better-auth's tables, in our Postgres) ─────────────────────────────────────────────
// Column names follow better-auth's fields (lib/auth/auth.ts maps its models onto these tables).

/** A person who can sign in. `role` is null for an SSO user whose groups map to no role (signed in, no access). */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role").$type<"viewer" | "ops" | "admin">(),
    /** Set when an admin disabled the account: its sessions are deleted and sign-in refused. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    token: text("token").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("sessions_token_idx").on(t.token), index("sessions_user_idx").on(t.userId)],
);

/** How a person signs in: `credential` (local password, hashed by better-auth) or an identity provider. */
export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId), uniqueIndex("accounts_provider_account_idx").on(t.providerId, t.accountId)],
);

/** better-auth's short-lived values (OAuth state, PKCE verifiers). */
export const verifications = pgTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

/**
 * better-auth's sign-in rate limit counters, shared by every web instance (one row per client
 * address and path; `last_request` in epoch milliseconds).
 */
export const rateLimits = pgTable("rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

/** One-time links that create the first admin (printed by the launcher when no one can sign in). Only the SHA-256 of the token is stored. */
export const setupTokens = pgTable("setup_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  usedBy: text("used_by"),
  createdAt: createdAt(),
});

/**
 * A portal's sign-in, set by an admin: `sealed` is AES-256-GCM ciphertext (lib/secrets) of
 * `{ username, password, totpSecret? }` under the key `keyId`; nothing here is readable without
 * NIGHTSHIFT_SECRET_KEY. The environment's PORTAL_CREDENTIALS stay the fallback.
 */
export const portalCredentials = pgTable("portal_credentials", {
  oemId: text("oem_id")
    .primaryKey()
    .references(() => oems.id),
  sealed: text("sealed").notNull(),
  keyId: text("key_id").notNull(),
  hasTotp: boolean("has_totp").notNull().default(false),
  updatedBy: text("updated_by").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Where alerts and the morning digest go (Settings → Alerts and digest, admins): an email address
 * or a webhook URL. A webhook's Standard Webhooks secret (whsec_…) is generated by us, shown once,
 * and kept sealed (lib/secrets/seal.ts, the destination id as authenticated data).
 */
export const alertDestinations = pgTable("alert_destinations", {
  id: uuid("id").primaryKey().defaultRandom(),
  kind: text("kind").$type<AlertDestinationKind>().notNull(),
  /** The email address, or the webhook URL. */
  target: text("target").notNull(),
  label: text("label"),
  /** Critical alerts: opened, reminders while open, resolved. */
  receivesAlerts: boolean("receives_alerts").notNull().default(true),
  /** The morning digest, once per night. */
  receivesDigest: boolean("receives_digest").notNull().default(true),
  enabled: boolean("enabled").notNull().default(true),
  sealedSecret: text("sealed_secret"),
  secretKeyId: text("secret_key_id"),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * The alert outbox: one row per (destination, message), unique by `dedupe_key`, so a scan that runs
 * twice (or concurrently) never queues a message twice. The key is also the Standard Webhooks
 * `webhook-id` and the email's Message-ID, so a send repeated after a crash is recognisable.
 */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    destinationId: uuid("destination_id")
      .notNull()
      .references(() => alertDestinations.id, { onDelete: "cascade" }),
    dedupeKey: text("dedupe_key").notNull(),
    type: text("type").$type<AlertMessageType>().notNull(),
    alertId: uuid("alert_id").references(() => alerts.id, { onDelete: "set null" }),
    batchId: uuid("batch_id").references(() => batches.id, { onDelete: "set null" }),
    /** The message as rendered when it was queued (lib/alerts/message.ts `AlertMessage`). */
    message: jsonb("message").$type<AlertMessage>().notNull(),
    status: text("status").$type<AlertDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** A sender holds the row until then; a sender that died lets it go when it passes. */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("alert_deliveries_dedupe_key_key").on(t.dedupeKey),
    index("alert_deliveries_destination_idx").on(t.destinationId, t.createdAt),
    index("alert_deliveries_alert_idx").on(t.alertId),
    index("alert_deliveries_pending_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/**
 * Replay's "last good" state (issue 12): per portal and target, what the element looked like the
 * last time its step succeeded, and the step scope's accessibility snapshot (Playwright
 * `ariaSnapshot()`, values and refs stripped) at that moment.
 */
export const healingBaselines = pgTable(
  "healing_baselines",
  {
    oemId: text("oem_id")
      .notNull()
      .references(() => oems.id),
    targetId: text("target_id").notNull(),
    step: text("step").notNull(),
    adapterVersion: text("adapter_version").notNull(),
    fingerprint: jsonb("fingerprint").$type<ElementFingerprint>().notNull(),
    pageFingerprint: text("page_fingerprint").notNull(),
    /** The step scope's accessibility snapshot when the step last succeeded. */
    scopeAria: text("scope_aria"),
    /** Earlier last-good states (newest first, at most 4): a portal back on markup it was filed with before is no change. */
    previousFingerprints: jsonb("previous_fingerprints").$type<ElementFingerprint[]>().notNull().default(sql`'[]'::jsonb`),
    runId: uuid("run_id").references(() => runs.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.oemId, t.targetId] })],
);

/**
 * Heals (issue 12): one attempt's set of changes on one portal — targets found another way,
 * unknown overlays dismissed — proposed by a rule or a model, decided by a person. The runs of one
 * redesign merge their changes into one open proposal unless they contradict it
 * (`lib/healing/store.ts` proposeHeal); `change_key` hashes the current set.
 */
export const heals = pgTable(
  "heals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    oemId: text("oem_id")
      .notNull()
      .references(() => oems.id),
    adapterVersion: text("adapter_version").notNull(),
    status: text("status").$type<HealStatus>().notNull().default("proposed"),
    /** SHA-256 of the sorted changes (target id, recipe, page fingerprint; overlay key, action). */
    changeKey: text("change_key").notNull(),
    changes: jsonb("changes").$type<HealChange[]>().notNull(),
    /** The steps' accessibility snapshots, last good and now. */
    snapshots: jsonb("snapshots").$type<HealSnapshot[]>().notNull().default(sql`'[]'::jsonb`),
    /** `rule` when every change is the scorer's; `model` when any came from the model tier. */
    proposedBy: text("proposed_by").$type<HealProposer>().notNull(),
    /** Sum of the model calls behind it, when priced. */
    costUsd: doublePrecision("cost_usd"),
    /** The page with the healed targets outlined, just before the held submit (an artifact key). */
    screenshotKey: text("screenshot_key"),
    /** The run that first proposed it. */
    runId: uuid("run_id").references(() => runs.id, { onDelete: "set null" }),
    /** Per portal, set on approval: 1, 2, … (the portal's current resolution is its highest approved version). */
    version: integer("version"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    revertedBy: text("reverted_by"),
    revertedAt: timestamp("reverted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("heals_status_idx").on(t.status, t.createdAt.desc()),
    index("heals_oem_idx").on(t.oemId, t.createdAt.desc()),
    uniqueIndex("heals_one_proposed_per_change").on(t.oemId, t.changeKey).where(sql`status = 'proposed'`),
    uniqueIndex("heals_oem_version_key").on(t.oemId, t.version).where(sql`version is not null`),
  ],
);

/** Where a heal was used: the runs that filled with it, waited for it, or filed with it. */
export const healRuns = pgTable(
  "heal_runs",
  {
    healId: uuid("heal_id")
      .notNull()
      .references(() => heals.id, { onDelete: "cascade" }),
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    attemptId: uuid("attempt_id").references(() => attempts.id, { onDelete: "set null" }),
    use: text("use").$type<HealUse>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.healId, t.runId] }), index("heal_runs_run_idx").on(t.runId)],
);

/**
 * The resolved-action cache (issue 12), replayed before the adapter's primary locator: per
 * (portal, adapter version, target, page fingerprint) the reviewed way to find the target, from an
 * approved heal. Overlays use target id `overlay:<key>` and page fingerprint `*`.
 */
export const resolvedActions = pgTable(
  "resolved_actions",
  {
    oemId: text("oem_id")
      .notNull()
      .references(() => oems.id),
    adapterVersion: text("adapter_version").notNull(),
    targetId: text("target_id").notNull(),
    pageFingerprint: text("page_fingerprint").notNull(),
    /** A target's locator recipe; for an overlay, the approved dismiss action. */
    recipe: jsonb("recipe").$type<LocatorRecipe | { strategy: "dismiss"; action: { type: "click"; buttonName: string } | { type: "escape" } }>().notNull(),
    /** The element the recipe was approved for (replay verifies against it). */
    fingerprint: jsonb("fingerprint").$type<ElementFingerprint>(),
    healId: uuid("heal_id").references(() => heals.id, { onDelete: "cascade" }),
    hits: integer("hits").notNull().default(0),
    lastHitAt: timestamp("last_hit_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.oemId, t.adapterVersion, t.targetId, t.pageFingerprint] }), index("resolved_actions_heal_idx").on(t.healId)],
);

/**
 * Every request to the model tier (issue 12) and every one not made (memoised, budget, breaker):
 * the daily budget per portal, the memo by page state and the circuit breaker per portal and step
 * are read from here, so they hold across workers and restarts.
 */
export const llmCalls = pgTable(
  "llm_calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: text("purpose").$type<LlmPurpose>().notNull(),
    oemId: text("oem_id").references(() => oems.id),
    step: text("step"),
    targetId: text("target_id"),
    runId: uuid("run_id").references(() => runs.id, { onDelete: "set null" }),
    /** SHA-256 of what was asked (target, miss kind, page state, candidates): equal keys get the memoised answer. */
    memoKey: text("memo_key"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    outcome: text("outcome").$type<LlmCallOutcome>().notNull(),
    /** The candidate number chosen (1-based), when it chose. */
    choice: integer("choice"),
    /** The validated answer (choice, reason) or the error, for the review queue. */
    response: jsonb("response").$type<Record<string, unknown>>(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: doublePrecision("cost_usd"),
    latencyMs: integer("latency_ms"),
    createdAt: createdAt(),
  },
  (t) => [
    index("llm_calls_oem_created_idx").on(t.oemId, t.createdAt.desc()),
    index("llm_calls_memo_idx").on(t.memoKey, t.createdAt.desc()).where(sql`memo_key is not null`),
    index("llm_calls_run_idx").on(t.runId),
  ],
);
