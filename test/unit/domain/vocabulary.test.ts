import { describe, expect, it } from "vitest";
import {
  ATTEMPT_STATUSES,
  ATTEMPT_TRANSITIONS,
  BATCH_STATUSES,
  BATCH_TRANSITIONS,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  canTransition,
  isOneOf,
  isTerminal,
  OPEN_RUN_STATUSES,
  OUTBOX_STATUSES,
  OUTBOX_TRANSITIONS,
  RUN_STATUSES,
  RUN_TRANSITIONS,
  statusesLeadingTo,
  TERMINAL_FAIL_STATUSES,
  type TransitionTable,
} from "@/lib/domain/vocabulary";

/** Every (from, to) pair of a state machine, allowed or not, as "from→to" strings of the allowed ones. */
function allowedPairs<S extends string>(statuses: readonly S[], table: TransitionTable<S>): string[] {
  return statuses.flatMap((from) => statuses.filter((to) => canTransition(table, from, to)).map((to) => `${from}→${to}`));
}

describe("state machine vocabulary", () => {
  it("allows exactly these run transitions (every pair checked)", () => {
    expect(allowedPairs(RUN_STATUSES, RUN_TRANSITIONS)).toEqual([
      "queued→running",
      "queued→cancelled",
      "running→running",
      "running→retry_scheduled",
      "running→submitted",
      "running→rehearsed",
      "running→needs_review",
      "running→parked",
      "running→failed",
      "running→cancelled",
      "running→awaiting_approval",
      "retry_scheduled→running",
      "retry_scheduled→cancelled",
      "awaiting_approval→retry_scheduled",
      "awaiting_approval→parked",
      "awaiting_approval→cancelled",
    ]);
  });

  it("allows exactly these case transitions (every pair checked)", () => {
    expect(allowedPairs(CASE_STATUSES, CASE_TRANSITIONS)).toEqual([
      "pending→queued",
      "pending→submitted",
      "queued→pending",
      "queued→running",
      "running→pending",
      "running→submitted",
      "running→needs_review",
      "running→parked",
      "running→failed",
      "running→awaiting_approval",
      "needs_review→pending",
      "needs_review→queued",
      "parked→pending",
      "parked→queued",
      "failed→pending",
      "failed→queued",
      "awaiting_approval→pending",
      "awaiting_approval→running",
      "awaiting_approval→parked",
    ]);
  });

  it("allows exactly these attempt, outbox and batch transitions", () => {
    expect(allowedPairs(ATTEMPT_STATUSES, ATTEMPT_TRANSITIONS)).toEqual(["running→succeeded", "running→failed", "running→interrupted", "running→held"]);
    expect(allowedPairs(OUTBOX_STATUSES, OUTBOX_TRANSITIONS)).toEqual(["pending→delivered", "pending→failed"]);
    expect(allowedPairs(BATCH_STATUSES, BATCH_TRANSITIONS)).toEqual(["planned→running", "planned→cancelled", "running→finished", "running→cancelled"]);
  });

  it("keeps every transition inside its own vocabulary", () => {
    const tables: Array<[readonly string[], TransitionTable<string>]> = [
      [RUN_STATUSES, RUN_TRANSITIONS],
      [CASE_STATUSES, CASE_TRANSITIONS],
      [ATTEMPT_STATUSES, ATTEMPT_TRANSITIONS],
      [OUTBOX_STATUSES, OUTBOX_TRANSITIONS],
      [BATCH_STATUSES, BATCH_TRANSITIONS],
    ];
    for (const [statuses, table] of tables) {
      expect(Object.keys(table).sort()).toEqual([...statuses].sort());
      for (const targets of Object.values(table)) for (const to of targets) expect(statuses).toContain(to);
    }
  });

  it("derives open and terminal statuses consistently with the run table", () => {
    // Open runs are exactly the non-terminal ones but a run held for a heal approval (it waits for
    // a person, holding no queue slot); terminal fails end the machine.
    expect(RUN_STATUSES.filter((s) => !isTerminal(RUN_TRANSITIONS, s))).toEqual([...OPEN_RUN_STATUSES, "awaiting_approval"]);
    for (const status of TERMINAL_FAIL_STATUSES) expect(isTerminal(RUN_TRANSITIONS, status)).toBe(true);
    // An attempt may start from a queued or scheduled run, or take over from a lost worker.
    expect(statusesLeadingTo(RUN_TRANSITIONS, "running").sort()).toEqual(["queued", "retry_scheduled", "running"]);
  });

  it("narrows unknown input to a member of a tuple, and nothing else", () => {
    expect(isOneOf(RUN_STATUSES, "parked")).toBe(true);
    expect(isOneOf(RUN_STATUSES, "Parked")).toBe(false);
    expect(isOneOf(RUN_STATUSES, 3)).toBe(false);
    expect(isOneOf(RUN_STATUSES, undefined)).toBe(false);
  });
});
