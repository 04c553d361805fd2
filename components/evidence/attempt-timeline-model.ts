import type { AttemptStatus } from "@/lib/domain/vocabulary";
/**
 * The maths of an attempt's timeline, pure and framework-free: how long the attempt waited in
 * the queue (queued_at → started_at) and ran (started_at → finished_at), how the bar is split,
 * where each step sits inside the run, and the same facts in words for the text equivalent.
 */
import type { StepRecord } from "@/lib/domain/types";
import { formatDuration } from "@/lib/format/duration";

export interface TimelineAttempt {
  queuedAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  status: AttemptStatus;
  steps: StepRecord[];
}

export interface TimelineStep {
  name: string;
  status: StepRecord["status"];
  durationMs: number;
  /** Where the step starts inside the run segment, 0–1. */
  offset: number;
  /** Its share of the run segment, 0–1 (offset + width ≤ 1). */
  width: number;
}

export interface AttemptTimelineModel {
  /** Time in the queue; null when the row predates queued_at (then only the run is shown). */
  queueMs: number | null;
  /** Time running: to finished_at, or to now while it runs; null when it never finished and is not running. */
  runMs: number | null;
  /** The share of the bar drawn as queue wait (0 when unknown or none). Clamped so neither part vanishes; the words carry the exact figures. */
  queueShare: number;
  steps: TimelineStep[];
  /** "Waited 2 min 10 s in the queue · ran 7.4 s". */
  summary: string;
}

/** The queue part never takes more than this of the bar, so the run (and its steps) stays readable beside a long retry wait. */
export const MAX_QUEUE_SHARE = 0.6;
/** A queue wait that happened stays visible however short. */
export const MIN_QUEUE_SHARE = 0.06;

/** Durations for people, precise under ten seconds: 350 → "350 ms", 7_420 → "7.4 s", 130_000 → "2 min 10 s". */
export function formatPreciseDuration(ms: number): string {
  if (Number.isFinite(ms) && ms >= 1000 && ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  return formatDuration(ms);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The timeline of one attempt as of `now` (used only while it is still running). */
export function attemptTimeline(attempt: TimelineAttempt, now: Date = new Date()): AttemptTimelineModel {
  const started = attempt.startedAt.getTime();
  // A clock a few ms apart between processes must not make a negative wait.
  const queueMs = attempt.queuedAt ? Math.max(0, started - attempt.queuedAt.getTime()) : null;
  const end = attempt.finishedAt ? attempt.finishedAt.getTime() : attempt.status === "running" ? now.getTime() : null;
  const stepsEnd = attempt.steps.reduce((latest, step) => Math.max(latest, stepStart(step, started) + Math.max(0, step.durationMs)), started);
  const runMs = end === null ? null : Math.max(0, end - started);

  let queueShare = 0;
  if (queueMs !== null && queueMs > 0) {
    const run = runMs ?? stepsEnd - started;
    queueShare = run > 0 ? clamp(queueMs / (queueMs + run), MIN_QUEUE_SHARE, MAX_QUEUE_SHARE) : MAX_QUEUE_SHARE;
  }

  // Steps are placed on the run's own scale: the run time, or the steps' extent when it is longer (or unknown).
  const span = Math.max(runMs ?? 0, stepsEnd - started);
  const steps: TimelineStep[] = attempt.steps.map((step) => {
    const durationMs = Math.max(0, step.durationMs);
    if (span <= 0) return { name: step.name, status: step.status, durationMs, offset: 0, width: 0 };
    const offset = clamp((stepStart(step, started) - started) / span, 0, 1);
    return { name: step.name, status: step.status, durationMs, offset, width: clamp(durationMs / span, 0, 1 - offset) };
  });

  return { queueMs, runMs, queueShare, steps, summary: summarize(queueMs, runMs, attempt.status) };
}

/** When a step began, in ms; a step without a readable time follows the one before it. */
function stepStart(step: StepRecord, fallback: number): number {
  const at = Date.parse(step.startedAt);
  return Number.isFinite(at) ? at : fallback;
}

function summarize(queueMs: number | null, runMs: number | null, status: TimelineAttempt["status"]): string {
  const ran = runMs === null ? "no end recorded" : status === "running" ? `running for ${formatPreciseDuration(runMs)}` : `ran ${formatPreciseDuration(runMs)}`;
  if (queueMs === null) return ran.charAt(0).toUpperCase() + ran.slice(1);
  const waited = queueMs === 0 ? "Started at once" : `Waited ${formatPreciseDuration(queueMs)} in the queue`;
  return `${waited} · ${ran}`;
}
