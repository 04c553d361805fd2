/**
 * The one vocabulary of Nightshift's state machines. Every status, trigger, class and kind is an
 * `as const` tuple here, its type is derived from it, the schema columns are typed from it, and
 * the allowed transitions sit beside it. UI labels are `Record<…>` keyed by these types, so a new
 * value is a compile error wherever it is not handled.
 *
 * Glossary — case: one CRM object to submit. Run: one case's submission (inside a batch or an
 * urgent one-off). Attempt: one execution of the adapter for a run. Outbox entry: a pending CRM
 * write-back. Batch: one planned pass over many cases.
 */

/**
 * Our view of a case: pending → queued → running → submitted | needs_review | parked | failed, or
 * awaiting_approval (held before the final submit for a person to approve a heal).
 */
export const CASE_STATUSES = ["pending", "queued", "running", "submitted", "needs_review", "parked", "failed", "awaiting_approval"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * A run's life: queued → running (→ retry_scheduled → running …) → a terminal status.
 * `rehearsed`: a dry run went through every step up to the final submit; nothing was filed.
 * `awaiting_approval`: the form was filled with a heal nobody has approved yet; the run stopped
 * before the final submit and waits (not open: it holds no queue slot) until a person approves the
 * heal (→ retry_scheduled, filed on the next attempt) or rejects it (→ parked for engineering).
 */
export const RUN_STATUSES = ["queued", "running", "retry_scheduled", "submitted", "rehearsed", "needs_review", "parked", "failed", "cancelled", "awaiting_approval"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** At most one open run per case (a partial unique index enforces it). */
export const OPEN_RUN_STATUSES = ["queued", "running", "retry_scheduled"] as const satisfies readonly RunStatus[];
export type OpenRunStatus = (typeof OPEN_RUN_STATUSES)[number];

/** Terminal fails: a person (ops or engineering) has to look. */
export const TERMINAL_FAIL_STATUSES = ["needs_review", "parked", "failed"] as const satisfies readonly RunStatus[] & readonly CaseStatus[];
export type TerminalFailStatus = (typeof TERMINAL_FAIL_STATUSES)[number];

/** `held`: the attempt filled the form with an unapproved heal and stopped before the final submit. */
export const ATTEMPT_STATUSES = ["running", "succeeded", "failed", "interrupted", "held"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const OUTBOX_STATUSES = ["pending", "delivered", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const OUTBOX_KINDS = ["status", "note"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const BATCH_STATUSES = ["planned", "running", "finished", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** What started a batch: the nightly schedule, a person (Run now), or an urgent CRM webhook. */
export const BATCH_TRIGGERS = ["cron", "manual", "webhook"] as const;
export type BatchTrigger = (typeof BATCH_TRIGGERS)[number];

/**
 * The order a batch files its cases in (always with a stable tie-break: oldest, then id).
 * `redaction_first`: redaction-sensitive cases first, then oldest. `urgent_first`: cases the CRM
 * marked urgent first, then oldest.
 */
export const BATCH_ORDERS = ["redaction_first", "oldest_first", "urgent_first"] as const;
export type BatchOrder = (typeof BATCH_ORDERS)[number];

/** Who must act on a terminal fail in the morning digest (by error class, `lib/runs/taxonomy.ts`). */
export const DIGEST_OWNERS = ["ops", "engineering", "admin"] as const;
export type DigestOwner = (typeof DIGEST_OWNERS)[number];

/**
 * The error taxonomy: every failed attempt gets exactly one class; the class decides the route
 * (`lib/runs/taxonomy.ts`). See DESIGN.md "Error taxonomy and routing".
 */
export const ERROR_CLASSES = ["site_flake", "site_popup", "site_changed", "portal_rejected", "auth", "adapter_bug", "infra"] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export const ARTIFACT_KINDS = ["screenshot", "dom", "trace"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export const STEP_STATUSES = ["ok", "failed"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const WEBHOOK_VERDICTS = ["accepted", "duplicate", "rejected"] as const;
export type WebhookVerdict = (typeof WEBHOOK_VERDICTS)[number];

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Allowed moves of each state machine: `from → [to…]`. A terminal status maps to `[]`. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export const CASE_TRANSITIONS: TransitionTable<CaseStatus> = {
  // A CRM update may say the case was filed elsewhere; a run moves it to queued.
  pending: ["queued", "submitted"],
  // A cancelled run gives the case back.
  queued: ["running", "pending"],
  // `running` stays while retries are scheduled; it ends in an outcome, or goes back to pending
  // after a dry run or when its batch is cancelled.
  running: ["submitted", "needs_review", "parked", "failed", "pending", "awaiting_approval"],
  submitted: [],
  // Approved: its run has a next attempt (the case is running again); rejected: parked; cancelled: pending.
  awaiting_approval: ["running", "parked", "pending"],
  // A person retries: the case is pending again, then queued.
  needs_review: ["pending", "queued"],
  parked: ["pending", "queued"],
  failed: ["pending", "queued"],
};

export const RUN_TRANSITIONS: TransitionTable<RunStatus> = {
  queued: ["running", "cancelled"],
  // running → running: the worker died; the next attempt takes over the run.
  // running → cancelled: its batch was cancelled and the attempt was interrupted.
  running: ["running", "retry_scheduled", "submitted", "rehearsed", "needs_review", "parked", "failed", "cancelled", "awaiting_approval"],
  retry_scheduled: ["running", "cancelled"],
  // A person decides the heal it waits for: approved → its next attempt is scheduled; rejected → parked.
  awaiting_approval: ["retry_scheduled", "parked", "cancelled"],
  submitted: [],
  rehearsed: [],
  needs_review: [],
  parked: [],
  failed: [],
  cancelled: [],
};

export const ATTEMPT_TRANSITIONS: TransitionTable<AttemptStatus> = {
  running: ["succeeded", "failed", "interrupted", "held"],
  succeeded: [],
  held: [],
  failed: [],
  interrupted: [],
};

export const OUTBOX_TRANSITIONS: TransitionTable<OutboxStatus> = {
  pending: ["delivered", "failed"],
  delivered: [],
  failed: [],
};

export const BATCH_TRANSITIONS: TransitionTable<BatchStatus> = {
  planned: ["running", "cancelled"],
  running: ["finished", "cancelled"],
  finished: [],
  cancelled: [],
};

/** Whether a state machine allows `from → to`. */
export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** The statuses from which `to` may be reached (for `where status in (…)` guards). */
export function statusesLeadingTo<S extends string>(table: TransitionTable<S>, to: S): S[] {
  return (Object.keys(table) as S[]).filter((from) => table[from].includes(to));
}

export function isTerminal<S extends string>(table: TransitionTable<S>, status: S): boolean {
  return table[status].length === 0;
}

/** Narrows an unknown value (a URL parameter, a JSON field) to one of a tuple's members. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}
