/**
 * "Done by morning": the promise that every case in the night's batch is submitted or has a
 * clear terminal failure before the batch deadline. Pure, so it is unit-testable.
 */

export type MorningVerdict =
  /** Every run settled before the deadline (or no deadline was set). */
  | "done"
  /** Runs are still open; at the current pace the batch finishes before the deadline. */
  | "on_track"
  /** Runs are still open and the projected finish is after the deadline. */
  | "at_risk"
  /** The deadline passed with runs open, or the batch settled after it. */
  | "missed"
  /** The batch exists but nothing has been enqueued or started yet. */
  | "not_started";

export interface MorningVerdictInput {
  deadline: Date | null;
  startedAt: Date | null;
  /** When the last run settled (or the batch finished). */
  settledAt: Date | null;
  totalRuns: number;
  openRuns: number;
  /**
   * The batch's own projection (lib/batches/progress.ts: sliding-window throughput). Without it
   * the finish is projected from the whole batch's average pace.
   */
  projection?: { projectedFinishAt: Date | null; atRisk: boolean };
}

export interface MorningVerdictResult {
  verdict: MorningVerdict;
  /** Projected finish while runs are open and progress has been made; else null. */
  projectedFinishAt: Date | null;
}

export function getMorningVerdict(input: MorningVerdictInput, now: Date): MorningVerdictResult {
  const { deadline, startedAt, settledAt, totalRuns, openRuns } = input;
  if (totalRuns === 0) return { verdict: "not_started", projectedFinishAt: null };

  if (openRuns === 0) {
    const late = deadline !== null && settledAt !== null && settledAt.getTime() > deadline.getTime();
    return { verdict: late ? "missed" : "done", projectedFinishAt: null };
  }

  if (deadline !== null && now.getTime() > deadline.getTime()) return { verdict: "missed", projectedFinishAt: null };

  const settled = totalRuns - openRuns;
  if (!startedAt || settled <= 0) return { verdict: startedAt ? "on_track" : "not_started", projectedFinishAt: null };
  if (input.projection) return { verdict: input.projection.atRisk ? "at_risk" : "on_track", projectedFinishAt: input.projection.projectedFinishAt };

  const elapsed = Math.max(0, now.getTime() - startedAt.getTime());
  const projectedFinishAt = new Date(startedAt.getTime() + (elapsed * totalRuns) / settled);
  const atRisk = deadline !== null && projectedFinishAt.getTime() > deadline.getTime();
  return { verdict: atRisk ? "at_risk" : "on_track", projectedFinishAt };
}

// ---------------------------------------------------------------------------------------------
// The night in words, for executives: "Done by 5:42 AM — 212 of 220 submitted · 3 need data fixes · 5 with engineering".

export interface NightOutcomeInput {
  verdict: MorningVerdict;
  /** The schedule's IANA zone: every clock time is said in it. */
  timeZone: string;
  deadline: Date | null;
  settledAt: Date | null;
  projectedFinishAt: Date | null;
  dryRun: boolean;
  total: number;
  open: number;
  submitted: number;
  rehearsed: number;
  /** The portal refused the data: a person fixes the case. */
  needsReview: number;
  /** Site changed or adapter bug: engineering. */
  parked: number;
  /** Retries exhausted or credentials refused. */
  failed: number;
  cancelled: number;
}

export interface NightOutcomeWords {
  /** "Done by 5:42 AM", "Not done by 7:00 AM", "On track — projected 5:10 AM". */
  title: string;
  /** "212 of 220 submitted", "3 need data fixes", "5 with engineering", … */
  details: string[];
  /** The title and the details in one line. */
  sentence: string;
}

/** "5:42 AM" in the zone. */
export function clockIn(date: Date, timeZone: string, options: { zone?: boolean } = {}): string {
  return new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone, ...(options.zone ? { timeZoneName: "short" } : {}) }).format(date);
}

const count = (n: number) => new Intl.NumberFormat("en-US").format(n);

/** To the minute: "40 min", "1 h 5 min". */
function minutesInWords(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function nightTitle(input: NightOutcomeInput): string {
  const at = (date: Date) => clockIn(date, input.timeZone);
  switch (input.verdict) {
    case "done":
      return input.settledAt ? `Done by ${at(input.settledAt)}` : "Done by morning";
    case "missed":
      if (input.open > 0) return input.deadline ? `Not done by ${at(input.deadline)}` : "Not done by morning";
      if (input.settledAt && input.deadline && input.settledAt.getTime() > input.deadline.getTime()) {
        return `Done at ${at(input.settledAt)}, ${minutesInWords(input.settledAt.getTime() - input.deadline.getTime())} late`;
      }
      // Settled in time, but the digest found cases without an explanation (a terminal fail with no failure object).
      return input.settledAt ? `Settled by ${at(input.settledAt)}, but not every case explained` : "Not done by morning";
    case "on_track":
      return input.projectedFinishAt ? `On track — projected ${at(input.projectedFinishAt)}` : "On track for morning";
    case "at_risk":
      return input.projectedFinishAt && input.deadline
        ? `At risk — projected ${at(input.projectedFinishAt)}, after the ${at(input.deadline)} deadline`
        : "At risk of missing the morning";
    case "not_started":
      return input.total === 0 ? "Nothing to file yet" : "Waiting to start";
  }
}

/** The night's outcome in words, every clock time in the schedule's zone. */
export function describeNightOutcome(input: NightOutcomeInput): NightOutcomeWords {
  const title = nightTitle(input);
  const details: string[] = [];
  if (input.total > 0) {
    details.push(input.dryRun ? `${count(input.rehearsed + input.submitted)} of ${count(input.total)} rehearsed` : `${count(input.submitted)} of ${count(input.total)} submitted`);
  }
  if (input.needsReview > 0) details.push(input.needsReview === 1 ? "1 needs a data fix" : `${count(input.needsReview)} need data fixes`);
  if (input.parked > 0) details.push(`${count(input.parked)} with engineering`);
  if (input.failed > 0) details.push(`${count(input.failed)} failed`);
  if (input.open > 0) details.push(`${count(input.open)} still open`);
  if (input.cancelled > 0) details.push(`${count(input.cancelled)} cancelled`);
  return { title, details, sentence: details.length > 0 ? `${title} — ${details.join(" · ")}` : title };
}
