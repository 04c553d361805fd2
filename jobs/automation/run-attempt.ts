import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { artifactKey, CONTENT_TYPES, type ArtifactBody, type ArtifactStore } from "@/lib/artifacts/store";
import { parseEnv } from "@/lib/config/env";
import { attemptTimeoutsFrom, type Integrations } from "@/lib/config/integrations";
import type { CrmConnector } from "@/lib/crm/connector";
import type { Db } from "@/lib/db/client";
import type { JobQueue } from "@/lib/queue/job-queue";
import { withDatabaseRetry } from "@/lib/db/retry";
import type { ArtifactRecord, StepRecord } from "@/lib/domain/types";
import type { Logger } from "@/lib/log";
import { isKnownOem, type OemId } from "@/lib/oems/catalog";
import { markSubmitClicked, recordSteps } from "@/lib/runs/attempt-progress";
import { beginAttempt } from "@/lib/runs/begin-attempt";
import { isDryRun, isDryRunComplete, DryRunComplete } from "@/lib/batches/dry-run";
import { completeAttemptFailure, completeAttemptSuccess, completeDryRun, interruptAttempt } from "@/lib/runs/complete-attempt";
import { classifyError, type Classification } from "@/lib/runs/classify";
import { AttemptError, AwaitingApprovalError } from "@/lib/runs/errors";
import { holdRunForApproval } from "@/lib/runs/hold-for-approval";
import { loadReplayState } from "@/lib/healing/store";
import { attempts as attemptsTable } from "@/drizzle/schema";
import { eq } from "drizzle-orm";
import { resolvePortalCredentials, type ResolvedCredentials } from "@/lib/portals/credentials";
import { deferForPortalSlot, portalLimitForRun } from "@/lib/portals/sessions";
import { PRIORITY } from "@/lib/queue/tasks";
import type { PortalAdapter } from "./adapter";
import type { PortalLease, SharedBrowser } from "./browser";
import { HealingSession, type ModelTierPort } from "./healing/session";

export interface AttemptDeps {
  db: Db;
  queue: JobQueue;
  /** Seconds without a heartbeat after which a worker counts as dead. */
  staleAfterSeconds: number;
  browser: SharedBrowser;
  store: ArtifactStore;
  crm: CrmConnector;
  integrations: Pick<Integrations, "portals" | "retryPolicy" | "secretKeys">;
  /** The adapter of a known OEM (production: `portalAdapters`; tests may inject a partial map). */
  adapterFor: (oemId: OemId) => PortalAdapter | undefined;
  log: Logger;
  workerId: string;
  /** Aborts when the worker shuts down: the attempt is recorded as interrupted and rescheduled. */
  signal?: AbortSignal;
  random?: () => number;
  now?: () => Date;
  timeouts?: { navigationMs: number; actionMs: number; attemptMs: number };
  /** The model tier of healing (HEALING_LLM); without it only the deterministic tiers run. */
  modelTier?: ModelTierPort;
}

/** `deferred`: the portal had no free session slot; the job was given back, no attempt begun. */
/** `held`: stopped before the final submit, waiting for a person to approve a heal it used. */
export type AttemptOutcome = "submitted" | "rehearsed" | "retry_scheduled" | "terminal" | "cancelled" | "interrupted" | "skipped" | "deferred" | "held";

// The environment's defaults (lib/config/env.ts), for callers that pass no timeouts.
const DEFAULT_TIMEOUTS = attemptTimeoutsFrom(parseEnv({}));

/**
 * Runs one attempt of a run: a fresh browser context, the OEM's adapter step by step, evidence
 * (final screenshot on success; screenshot, DOM snapshot and trace on failure), and the outcome
 * recorded — with the CRM write-back queued in the same transaction.
 */
export async function runSubmitAttempt(deps: AttemptDeps, params: { runId: string; jobPriority?: number }): Promise<AttemptOutcome> {
  // Portal session limit: a slot is held before the attempt begins (so a run that must wait counts
  // no attempt) and before any context opens for the portal; it is released when the attempt ends.
  const gate = await portalLimitForRun(deps.db, { runId: params.runId });
  const portal = gate && isKnownOem(gate.oemId) ? deps.integrations.portals[gate.oemId] : undefined;
  // Read per attempt, so a rotation takes effect at the next attempt: stored first, else the
  // environment's. Sessions are kept per credentials, so one signed in with old ones is never reused.
  const resolved = gate && portal ? await resolvePortalCredentials(deps.db, { oemId: gate.oemId, keys: deps.integrations.secretKeys, fallback: portal.credentials }) : undefined;
  const lease =
    gate && portal && resolved?.ok
      ? await deps.browser.leasePortal({ oemId: gate.oemId, portalUrl: portal.url, ...resolved.credentials }, { limit: gate.limit, runId: params.runId })
      : undefined;
  if (lease === null && gate) {
    await deferForPortalSlot(deps.db, deps.queue, { runId: params.runId, oemId: gate.oemId, priority: params.jobPriority ?? PRIORITY.normal, random: deps.random });
    return "deferred";
  }
  try {
    return await runAttemptInSlot(deps, params, lease ?? undefined, resolved);
  } finally {
    await lease?.end();
  }
}

async function runAttemptInSlot(deps: AttemptDeps, params: { runId: string }, lease: PortalLease | undefined, resolved: ResolvedCredentials | undefined): Promise<AttemptOutcome> {
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS;
  const begun = await beginAttempt(deps.db, deps, { runId: params.runId, workerId: deps.workerId, staleAfterSeconds: deps.staleAfterSeconds, portalUrlFor: (oemId) => deps.integrations.portals[oemId]?.url ?? null });
  if (!begun) return "skipped";
  const log = deps.log.child({ runId: begun.runId, attempt: begun.number, oem: begun.case.oemId, reference: begun.case.reference });
  const oemId = begun.case.oemId;
  const known = isKnownOem(oemId);
  const portal = known ? deps.integrations.portals[oemId] : undefined;
  const adapter = known ? deps.adapterFor(oemId) : undefined;
  const steps: StepRecord[] = [];
  const evidence: ArtifactRecord[] = [];
  const sensitive = begun.case.redactionSensitive;
  // A dry run stops at the final submit click (see markSubmitClicked below): nothing is filed.
  const dryRun = await isDryRun(deps.db, begun.runId);

  // Recording the outcome survives a database restart: it is retried until the database is back.
  const record = <T>(operation: () => Promise<T>) => withDatabaseRetry(operation, { onRetry: () => log.warn("database unavailable; retrying to record the outcome") });

  let healing: HealingSession | undefined;
  const fail = async (classification: Classification) => {
    const outcome = await record(() => completeAttemptFailure(deps.db, deps, {
      runId: begun.runId,
      attemptId: begun.attemptId,
      classification,
      steps,
      artifacts: evidence,
      portalUrl: portal?.url ?? null,
      policy: deps.integrations.retryPolicy,
      random: deps.random ?? Math.random,
      now: deps.now?.() ?? new Date(),
      siteChange: classification.errorClass === "site_changed" ? (healing?.siteChange ?? undefined) : undefined,
    }));
    log.info({ errorClass: classification.errorClass, code: classification.code, outcome: outcome.kind }, "attempt failed");
    return outcome.kind;
  };

  // Rows can be older (or newer) than the code: an OEM id this version does not know is no crash.
  if (!known) {
    return fail({ errorClass: "adapter_bug", code: "unknown_oem", message: `The case names OEM "${oemId}", which this version of Nightshift does not know.` });
  }
  // Only reachable with an injected adapter map or hand-built integrations (tests): production
  // has an adapter per OEM by type and resolveIntegrations refuses a missing portal.
  if (!portal || !adapter) {
    return fail({ errorClass: "adapter_bug", code: "no_adapter", message: `No adapter or portal configuration for OEM "${oemId}".` });
  }
  // No credentials (or stored ones no configured key opens): an `auth` fail, so the portal pauses
  // and an admin is asked to set them; the sentence names no secret.
  if (!resolved?.ok) {
    return fail({ errorClass: "auth", code: resolved?.code ?? "credentials_missing", message: resolved?.message ?? "No credentials are set for this portal." });
  }
  const credentials = resolved.credentials;

  const put = async (name: string, ext: keyof typeof CONTENT_TYPES, kind: ArtifactRecord["kind"], body: ArtifactBody, step: string | null) => {
    const key = artifactKey({ runId: begun.runId, attempt: begun.number, name, ext });
    const { bytes } = await deps.store.put(key, body, CONTENT_TYPES[ext]!);
    evidence.push({ kind, key, contentType: CONTENT_TYPES[ext]!, bytes, step });
  };

  let tracing = false;
  let traceDir: string | undefined;
  // The browser (local, or a remote server) going away mid-attempt fails whatever the adapter was
  // awaiting with whichever message came first (a closed target, an aborted navigation): the
  // disconnect itself is the cause, and says so.
  let browserLost = false;
  const onDisconnected = () => {
    browserLost = true;
  };
  let attemptBrowser = null as Browser | null;
  // Replay's state for this portal and adapter version: last good fingerprints and reviewed resolutions.
  const replayState = await record(() => loadReplayState(deps.db, { oemId, adapterVersion: adapter.version }));
  try {
    const result = await deps.browser.withContext(async (context) => {
      attemptBrowser = context.browser();
      attemptBrowser?.once("disconnected", onDisconnected);
      const page = await context.newPage();
      const session = new HealingSession(page, {
        db: deps.db,
        log,
        oemId,
        adapterVersion: adapter.version,
        runId: begun.runId,
        attemptId: begun.attemptId,
        state: replayState,
        ...(deps.modelTier ? { modelTier: deps.modelTier } : {}),
        dryRun,
        saveScreenshot: async (name, png) => {
          await put(name, "png", "screenshot", png, steps.at(-1)?.name ?? null);
          return evidence.at(-1)?.key ?? null;
        },
      });
      healing = session;
      page.setDefaultTimeout(timeouts.actionMs);
      page.setDefaultNavigationTimeout(timeouts.navigationMs);

      const startTracing = async () => {
        if (tracing || sensitive) return;
        // DOM snapshots, not a screencast: the trace viewer still shows the page before and after
        // every action, and the attempt's own screenshots cover the pixels. The screencast cost
        // ≈ 0.15 s of Chromium CPU per filing, on successes too, where the trace is thrown away.
        await context.tracing.start({ screenshots: false, snapshots: true });
        tracing = true;
      };
      const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        if (deps.signal?.aborted) throw new AttemptError("infra", "interrupted", "The worker is shutting down.");
        session.step = name;
        const started = new Date();
        try {
          const value = await fn();
          steps.push({ name, status: "ok", startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() });
          // Progress is evidence, not state: a database blip here must not fail the filing.
          await recordSteps(deps.db, { attemptId: begun.attemptId, steps }).catch((e: unknown) => log.warn({ err: e }, "could not record step progress"));
          // The trace starts after login, so the password typed there never reaches it.
          if (name === "login") await startTracing();
          return value;
        } catch (error) {
          // A dry run's stop before the final click is the step passing, not failing.
          if (isDryRunComplete(error)) {
            steps.push({ name, status: "ok", startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() });
            throw error;
          }
          steps.push({ name, status: "failed", startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() });
          throw error;
        }
      };
      const run = adapter.submit({
        page,
        case: begun.case,
        portalUrl: portal.url,
        credentials,
        step,
        healing: session,
        async fillSecret(locator, secret) {
          const wasTracing = tracing;
          if (wasTracing) {
            await context.tracing.stop();
            tracing = false;
          }
          await locator.fill(secret);
          if (wasTracing) await startTracing();
        },
        // The double-filing guard must be recorded, so it waits out a database restart too.
        markSubmitClicked: dryRun
          ? async () => {
              // Portal changes found while filling are filed for review (a rehearsal finds them before the night does).
              await session.gate();
              // The filled form is the dry run's evidence; then stop before the click.
              await bestEffort("dry-run screenshot", async () => put("dry-run", "png", "screenshot", await screenshot(page, sensitive), steps.at(-1)?.name ?? null));
              throw new DryRunComplete();
            }
          : async () => {
              // Never submit on a heal nobody approved: the run is held here (AwaitingApprovalError).
              await session.gate();
              await record(() => markSubmitClicked(deps.db, { runId: begun.runId }));
            },
        loadAttachment: () => deps.crm.fetchAttachment(begun.case.crmId),
        submitClickedBefore: begun.submitClickedBefore,
        log,
      });
      try {
        const outcome = await withDeadline(run, timeouts.attemptMs, deps.signal, () => context.close());
        // The case is filed: evidence is best-effort from here, never a reason to call it failed.
        await bestEffort("final screenshot", async () => put("final", "png", "screenshot", await screenshot(page, sensitive), steps.at(-1)?.name ?? null));
        if (tracing) await bestEffort("stopping the trace", () => bounded(context.tracing.stop(), EVIDENCE_CAPTURE_MS, "stopping the trace"));
        return outcome;
      } catch (error) {
        if (isDryRunComplete(error) || error instanceof AwaitingApprovalError) {
          if (tracing) await bestEffort("stopping the trace", () => bounded(context.tracing.stop(), EVIDENCE_CAPTURE_MS, "stopping the trace"));
          throw error;
        }
        await captureFailureEvidence(context, page, error);
        throw error;
      } finally {
        // Only a disconnect while the attempt ran counts; closing the context may retire a recycled browser.
        attemptBrowser?.off("disconnected", onDisconnected);
      }
    }, lease);

    if (dryRun && result.alreadyFiled) {
      await record(() => completeDryRun(deps.db, deps, { runId: begun.runId, attemptId: begun.attemptId, steps, artifacts: evidence, alreadyFiled: { confirmationNumber: result.confirmationNumber } }));
      log.info({ confirmationNumber: result.confirmationNumber }, "dry run: the portal already has a filing; nothing filed");
      return "rehearsed";
    }
    // Replay's report is on the attempt before the run reads as submitted.
    await finishHealing("submitted");
    await record(() => completeAttemptSuccess(deps.db, deps, { runId: begun.runId, attemptId: begun.attemptId, confirmationNumber: result.confirmationNumber, steps, artifacts: evidence }));
    log.info({ confirmationNumber: result.confirmationNumber, alreadyFiled: result.alreadyFiled }, "case submitted");
    return "submitted";
  } catch (error) {
    if (isDryRunComplete(error)) {
      await finishHealing("rehearsed");
      await record(() => completeDryRun(deps.db, deps, { runId: begun.runId, attemptId: begun.attemptId, steps, artifacts: evidence, alreadyFiled: null }));
      log.info("dry run complete: every step up to the final submit passed; nothing filed");
      return "rehearsed";
    }
    if (error instanceof AwaitingApprovalError) {
      await record(() => holdRunForApproval(deps.db, deps, { runId: begun.runId, attemptId: begun.attemptId, healId: error.healId, steps, artifacts: evidence, healing: healing!.report }));
      await finishHealing("held");
      return "held";
    }
    await finishHealing("failed");
    if (deps.signal?.aborted) {
      await record(() => interruptAttempt(deps.db, deps, { runId: begun.runId, attemptId: begun.attemptId, steps, runAt: new Date(Date.now() + 5_000) }));
      log.warn("attempt interrupted by shutdown; rescheduled");
      return "interrupted";
    }
    const classification = classifyError(error);
    // A page call cut off by the browser going away can surface as an aborted navigation or an
    // interruption before the connection itself reports closed: give the disconnect a moment.
    const mayBeLoss = classification.code === "navigation_aborted" || classification.code === "interrupted" || classification.code === "browser_crashed";
    if (browserLost || (attemptBrowser && mayBeLoss && (await deps.browser.lostUnexpectedly(attemptBrowser, 2_000)))) {
      return fail({ errorClass: "infra", code: "browser_crashed", message: "The browser closed or crashed during the attempt." });
    }
    return fail(classification);
  } finally {
    attemptBrowser?.off("disconnected", onDisconnected);
    if (traceDir) await rm(traceDir, { recursive: true, force: true });
  }

  /** Replay's writes after the outcome (best-effort: they never change what happened to the case). */
  async function finishHealing(outcome: "submitted" | "failed" | "held" | "rehearsed"): Promise<void> {
    const session = healing;
    if (!session) return;
    await bestEffort("replay state", async () => {
      await session.finish(outcome);
      await deps.db.update(attemptsTable).set({ healing: session.report }).where(eq(attemptsTable.id, begun!.attemptId));
    });
  }

  async function captureFailureEvidence(context: BrowserContext, page: Page, _error: unknown) {
    const failingStep = steps.findLast((s) => s.status === "failed")?.name ?? steps.at(-1)?.name ?? null;
    // Evidence must never replace the attempt's own error: each capture is best-effort.
    if (!page.isClosed()) {
      await bestEffort("failure screenshot", async () => put("failure", "png", "screenshot", await screenshot(page, sensitive), failingStep));
      if (!sensitive) await bestEffort("DOM snapshot", async () => put("dom", "html", "dom", Buffer.from(await bounded(page.content(), EVIDENCE_CAPTURE_MS, "reading the DOM")), failingStep));
    }
    // A closed page means its context (or the whole browser) is gone, and a trace cannot be saved
    // from it. Trying anyway against a remote browser server that is going away hangs: Playwright
    // streams the trace over the connection and its stream neither ends nor fails when the
    // connection drops (and leaves an unhandled rejection behind). So skip it, and bound the rest.
    const browserGone = browserLost || page.isClosed() || context.browser()?.isConnected() === false;
    if (tracing && !browserGone) {
      await bestEffort("trace", async () => {
        traceDir = await mkdtemp(path.join(os.tmpdir(), "ns-trace-"));
        const file = path.join(traceDir, "trace.zip");
        await bounded(context.tracing.stop({ path: file }), EVIDENCE_CAPTURE_MS, "saving the trace");
        tracing = false;
        // Streamed from the file (multipart on S3): a large trace is never read into memory.
        await put("trace", "zip", "trace", { file }, failingStep);
      });
    }
  }

  async function bestEffort(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.warn({ err: error }, `${what} could not be captured`);
    }
  }
}

/** How long one piece of evidence may take to come out of the browser (the upload is not bounded). */
const EVIDENCE_CAPTURE_MS = 30_000;

/** `work`, or a rejection after `ms`; a late rejection of `work` is then ignored. */
async function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
  }
}

/** Screenshot with password fields masked (and every field for redaction-sensitive cases). */
async function screenshot(page: Page, sensitive: boolean): Promise<Buffer> {
  const mask = [page.locator('input[type="password"]')];
  if (sensitive) mask.push(page.locator("input, textarea, select"));
  return page.screenshot({ fullPage: true, mask, timeout: 10_000, animations: "disabled" });
}

/** Bounds the attempt; on timeout or shutdown closes the context so the adapter's awaits fail fast. */
async function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined, abort: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void abort();
      reject(new AttemptError("site_flake", "attempt_timeout", `The attempt took longer than ${Math.round(ms / 1000)} s.`));
    }, ms);
    onAbort = () => {
      void abort();
      reject(new AttemptError("infra", "interrupted", "The worker is shutting down."));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    work.catch(() => {}); // the adapter's own rejection after an abort is expected
  }
}
