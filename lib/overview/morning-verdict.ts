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
