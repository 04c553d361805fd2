import { describe, expect, it } from "vitest";
import { digestHeadline, groupTerminalFails, ownerFor, type HeadlineInput, type TerminalFailRow } from "@/lib/batches/digest";
import { atRiskMessage } from "@/lib/batches/watch-batches";
import type { StoredFailure } from "@/lib/domain/types";
import { ERROR_CLASSES } from "@/lib/domain/vocabulary";

// Central time: the deadline is 7:00 AM CST (13:00 UTC) on 15 January. The clock is injected.
const ZONE = "America/Chicago";
const DEADLINE = new Date("2026-01-15T13:00:00.000Z");
const local = (hhmm: string) => new Date(`2026-01-15T${hhmm}:00.000-06:00`);

function failure(fingerprint: string, errorClass: StoredFailure["errorClass"]): StoredFailure {
  return {
    reason: "The Arden Motors portal rejected the submission",
    errorClass,
    code: "field_invalid",
    lastGoodStep: "fill",
    failingStep: "submit",
    attempts: [],
    evidence: { screenshot: null, dom: null, trace: null },
    portalUrl: null,
    fingerprint,
    nextAction: "Check the case data",
  };
}

let n = 0;
function row(oemId: string, fingerprint: string | null, errorClass: StoredFailure["errorClass"] | null): TerminalFailRow {
  n += 1;
  return {
    runId: `run-${n}`,
    caseId: `case-${n}`,
    reference: `NS-2026-${String(100 - n).padStart(5, "0")}`,
    oemId,
    status: errorClass === "portal_rejected" ? "needs_review" : "parked",
    errorClass,
    errorCode: "field_invalid",
    failure: fingerprint && errorClass ? failure(fingerprint, errorClass) : null,
  };
}

describe("ownerFor", () => {
  it("routes data problems to ops, broken adapters to engineering and credentials to an admin", () => {
    expect(ownerFor("portal_rejected")).toBe("ops");
    expect(ownerFor("site_changed")).toBe("engineering");
    expect(ownerFor("adapter_bug")).toBe("engineering");
    expect(ownerFor("auth")).toBe("admin");
    // Exhausted retries: ops retries them; an unclassified fail is our own gap.
    expect(ownerFor("site_flake")).toBe("ops");
    expect(ownerFor(null)).toBe("engineering");
    for (const errorClass of ERROR_CLASSES) expect(["ops", "engineering", "admin"]).toContain(ownerFor(errorClass));
  });
});

describe("groupTerminalFails", () => {
  it("groups by OEM × fingerprint, largest group first, with the owner of its class", () => {
    const groups = groupTerminalFails([
      row("arden", "fp-vin", "portal_rejected"),
      row("borealis", "fp-serial", "portal_rejected"),
      row("arden", "fp-vin", "portal_rejected"),
      row("arden", "fp-selector", "site_changed"),
      // The same fingerprint text on another OEM is another group.
      row("corvid", "fp-vin", "portal_rejected"),
      row("arden", "fp-vin", "portal_rejected"),
    ]);
    expect(groups.map((g) => [g.oemId, g.fingerprint, g.count, g.owner, g.errorClass])).toEqual([
      ["arden", "fp-vin", 3, "ops", "portal_rejected"],
      ["arden", "fp-selector", 1, "engineering", "site_changed"],
      ["borealis", "fp-serial", 1, "ops", "portal_rejected"],
      ["corvid", "fp-vin", 1, "ops", "portal_rejected"],
    ]);
    const vin = groups[0]!;
    expect(vin.runs).toHaveLength(3);
    expect(vin.runs.every((r) => r.failure?.fingerprint === "fp-vin")).toBe(true);
    // Runs in a group are in reference order.
    expect(vin.runs.map((r) => r.reference)).toEqual([...vin.runs.map((r) => r.reference)].sort());
  });

  it("keeps a terminal fail without a failure object in a group of its own class and code", () => {
    const [group] = groupTerminalFails([row("arden", null, null)]);
    expect(group).toMatchObject({ fingerprint: "unexplained:unknown:field_invalid", owner: "engineering", count: 1 });
  });
});

describe("digestHeadline", () => {
  const base: HeadlineInput = {
    reason: "finished",
    dryRun: false,
    eligible: 412,
    submitted: 412,
    rehearsed: 0,
    terminalFails: 0,
    unexplained: 0,
    unfinished: 0,
    cancelled: 0,
    metSla: true,
    deadline: DEADLINE,
    endedAt: local("05:48"),
    owners: {},
    timeZone: ZONE,
  };

  it("says everything was filed and by how much it beat the deadline", () => {
    expect(digestHeadline(base)).toBe("All 412 cases filed by 5:48 AM, 1 h 12 min before the 7:00 AM CST deadline.");
  });

  it("names the terminal fails and who must act on them", () => {
    expect(digestHeadline({ ...base, submitted: 398, terminalFails: 14, owners: { engineering: 5, ops: 9 } })).toBe(
      "398 of 412 cases filed by 5:48 AM, 1 h 12 min before the 7:00 AM CST deadline; 14 need a person (9 for ops, 5 for engineering).",
    );
    expect(digestHeadline({ ...base, eligible: 2, submitted: 1, terminalFails: 1, owners: { admin: 1 } })).toBe(
      "1 of 2 cases filed by 5:48 AM, 1 h 12 min before the 7:00 AM CST deadline; 1 needs a person (1 for an admin).",
    );
  });

  it("says the deadline was missed with the cases still open at the deadline", () => {
    expect(digestHeadline({ ...base, reason: "deadline", submitted: 380, terminalFails: 12, unfinished: 20, metSla: false, endedAt: null })).toBe(
      "Deadline missed: at 7:00 AM CST 380 of 412 cases were filed, 12 need a person and 20 were still open.",
    );
  });

  it("says when a batch settled after its deadline", () => {
    expect(digestHeadline({ ...base, submitted: 410, terminalFails: 2, metSla: false, endedAt: local("07:40") })).toBe(
      "All 412 cases settled by 7:40 AM, 40 min after the 7:00 AM CST deadline: 410 filed, 2 need a person.",
    );
  });

  it("describes a cancelled batch, a dry run and an empty night", () => {
    expect(digestHeadline({ ...base, reason: "cancelled", submitted: 120, terminalFails: 4, cancelled: 288, metSla: false, endedAt: local("03:10") })).toBe(
      "The batch was cancelled at 3:10 AM CST: 120 of 412 cases filed, 4 need a person, 288 not filed.",
    );
    expect(digestHeadline({ ...base, dryRun: true, submitted: 0, rehearsed: 412 })).toBe("Dry run: all 412 cases rehearsed by 5:48 AM, 1 h 12 min before the 7:00 AM CST deadline.");
    expect(digestHeadline({ ...base, eligible: 0, submitted: 0 })).toBe("Nothing to file: no case was waiting.");
  });

  it("leaves the deadline out when the batch had none", () => {
    expect(digestHeadline({ ...base, deadline: null })).toBe("All 412 cases filed by 5:48 AM CST.");
  });
});

describe("atRiskMessage", () => {
  it("says when the batch is projected to finish and how late", () => {
    expect(atRiskMessage({ trigger: "cron", projectedFinish: local("07:40"), deadline: DEADLINE, remaining: 80, now: local("04:00"), timeZone: ZONE })).toBe(
      "Tonight's batch is projected to finish at 7:40 AM, 40 min after its 7:00 AM CST deadline.",
    );
    expect(atRiskMessage({ trigger: "manual", projectedFinish: null, deadline: DEADLINE, remaining: 1, now: local("07:01"), timeZone: ZONE })).toBe(
      "The Run now batch missed its 7:00 AM CST deadline: 1 case is still open.",
    );
  });
});
