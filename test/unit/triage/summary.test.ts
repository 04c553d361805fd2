import { describe, expect, it } from "vitest";
import { acknowledgementState, decodeCursor, encodeCursor, groupActionName, groupIdSchema, nothingToTriageSentence, summariseLanes, triageQuerySchema, type LastBatchFigures } from "@/lib/triage/summary";

const night: LastBatchFigures = { id: "b", trigger: "cron", eligible: 220, submitted: 220, terminalFails: 0, dryRun: false, finishedAt: new Date("2026-12-02T12:00:00Z") };

describe("group ids", () => {
  it("accepts a 16-hex fingerprint and refuses anything else", () => {
    expect(groupIdSchema.safeParse("0123456789abcdef").success).toBe(true);
    for (const bad of ["0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "not-a-fingerprint", ""]) expect(groupIdSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe("the keyset cursor over groups", () => {
  it("round-trips the sort key of a page's last group", () => {
    const cursor = { laneRank: 2, ackRank: 1 as const, count: 14, fingerprint: "00ff00ff00ff00ff" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("refuses a cursor it did not hand out", () => {
    expect(decodeCursor("garbage")).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify([9, 0, 1, "00ff00ff00ff00ff"])).toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify([0, 0, 1, "'; drop table runs"])).toString("base64url"))).toBeNull();
  });

  it("makes a bad cursor, lane or limit a field error of the query", () => {
    const parsed = triageQuerySchema.safeParse({ cursor: "garbage", lane: "sales", limit: "0" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["cursor", "lane", "limit"]));
    expect(triageQuerySchema.parse({})).toEqual({ limit: 25 });
  });
});

describe("acknowledgement state", () => {
  it("stays collapsed while nothing failed after it, and reopens with the count of new failures", () => {
    expect(acknowledgementState({ newSince: 0 })).toEqual({ state: "acknowledged", newSince: 0 });
    expect(acknowledgementState({ newSince: 3 })).toEqual({ state: "new_since", newSince: 3 });
  });
});

describe("the empty state's sentence", () => {
  it("says every case of last night was submitted", () => {
    expect(nothingToTriageSentence(night)).toBe("Nothing to triage: all 220 cases from last night were submitted.");
  });

  it("says the terminal fails of the latest batch were dealt with since", () => {
    expect(nothingToTriageSentence({ ...night, trigger: "manual", eligible: 1204, submitted: 1198, terminalFails: 6 })).toBe(
      "Nothing to triage: 1,198 of 1,204 cases from the latest batch were submitted; its 6 terminal fails have been retried or resolved since.",
    );
  });

  it("speaks of a dry run and of no batch at all", () => {
    expect(nothingToTriageSentence({ ...night, dryRun: true, submitted: 0 })).toMatch(/^Nothing to triage: the latest batch was a dry run over 220 cases/);
    expect(nothingToTriageSentence(null)).toBe("Nothing to triage: no terminal fail is waiting for a person.");
  });
});

describe("bulk action names", () => {
  it("names what was selected", () => {
    expect(groupActionName({ verb: "Retry", count: 12, oemLabel: "Arden Motors", classWords: "site changed", fingerprint: "1a2b3c4d5e6f7a8b" })).toBe(
      "Retry 12 Arden Motors site changed runs (group 1a2b3c4d…)",
    );
  });
});

describe("lane summaries", () => {
  it("lists every lane in page order with zeros for empty ones, and totals the groups and cases", () => {
    const summary = summariseLanes([
      { laneRank: 3, groups: 1, runs: 2, acknowledged: 0 },
      { laneRank: 0, groups: 4, runs: 31, acknowledged: 1 },
    ]);
    expect(summary.lanes).toEqual([
      { lane: "engineering", groups: 4, runs: 31, acknowledged: 1 },
      { lane: "ops", groups: 0, runs: 0, acknowledged: 0 },
      { lane: "admin", groups: 0, runs: 0, acknowledged: 0 },
      { lane: "infrastructure", groups: 1, runs: 2, acknowledged: 0 },
    ]);
    expect(summary.total).toEqual({ groups: 5, runs: 33 });
  });
});
