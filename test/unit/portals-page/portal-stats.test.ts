import { describe, expect, it } from "vitest";
import { PORTALS_BUSY_REFETCH_MS, PORTALS_IDLE_REFETCH_MS, parsePortalStats, portalsRefetchInterval } from "@/components/portals/portals-query";
import type { Jsonified } from "@/components/query/fetch-json";
import { attemptWindow, type PortalStat, type PortalStats } from "@/lib/portals/portal-stats";
import { pausePortalRequestSchema } from "@/lib/portals/pause-request";

const portal = (patch: Partial<PortalStat> = {}): PortalStat => ({
  id: "arden",
  label: "Arden Motors",
  color: "#b4232a",
  monogram: "AM",
  portalUrl: "http://127.0.0.1:4010/arden",
  pausedAt: new Date("2026-12-02T04:00:00.000Z"),
  pausedReason: "Maintenance",
  day: attemptWindow(9, 1, 4_200),
  week: attemptWindow(90, 10, 5_000.4),
  siteChangedWeek: 2,
  lastFailure: { runId: "r", caseId: "c", reference: "NS-1", status: "parked", errorClass: "site_changed", reason: "The form changed.", finishedAt: new Date("2026-12-02T03:00:00.000Z") },
  limit: 2,
  limitSource: "default",
  sessions: { inUse: 0, filing: 0, idle: 0 },
  credentials: { source: "stored", setAt: "2026-11-24T09:12:00.000Z", setBy: "ada@example.com", hasTotp: false },
  pausedForAuth: false,
  authFailedRuns: 0,
  ...patch,
});

describe("attemptWindow", () => {
  it("is the share of ended attempts that succeeded, with the p95 rounded to the millisecond", () => {
    expect(attemptWindow(9, 1, 4_200.6)).toEqual({ succeeded: 9, failed: 1, successRate: 0.9, p95Ms: 4_201 });
    expect(attemptWindow(3, 0, "1500")).toMatchObject({ successRate: 1, p95Ms: 1_500 });
  });

  it("has no rate and no p95 when no attempt ended", () => {
    expect(attemptWindow(0, 0, null)).toEqual({ succeeded: 0, failed: 0, successRate: null, p95Ms: null });
  });
});

describe("parsePortalStats", () => {
  it("turns the JSON answer back into the stats, dates included", () => {
    const stats: PortalStats = { generatedAt: new Date("2026-12-02T05:00:00.000Z"), recipeVersion: 3, portals: [portal(), portal({ id: "corvid", pausedAt: null, lastFailure: null })] };
    expect(parsePortalStats(JSON.parse(JSON.stringify(stats)) as Jsonified<PortalStats>)).toEqual(stats);
  });
});

describe("portalsRefetchInterval", () => {
  it("polls fast while a portal holds a session and slowly otherwise", () => {
    const idle: PortalStats = { generatedAt: new Date(), recipeVersion: null, portals: [portal()] };
    expect(portalsRefetchInterval(idle)).toBe(PORTALS_IDLE_REFETCH_MS);
    expect(portalsRefetchInterval(undefined)).toBe(PORTALS_IDLE_REFETCH_MS);
    expect(portalsRefetchInterval({ ...idle, portals: [portal({ sessions: { inUse: 1, filing: 1, idle: 0 } })] })).toBe(PORTALS_BUSY_REFETCH_MS);
  });
});

describe("pausePortalRequestSchema", () => {
  it("needs a reason of at most 300 characters, trimmed, and nothing else", () => {
    expect(pausePortalRequestSchema.parse({ reason: "  Maintenance tonight " })).toEqual({ reason: "Maintenance tonight" });
    expect(pausePortalRequestSchema.safeParse({ reason: "   " }).error?.issues[0]?.message).toBe("Say why the portal is paused");
    expect(pausePortalRequestSchema.safeParse({}).success).toBe(false);
    expect(pausePortalRequestSchema.safeParse({ reason: "x".repeat(301) }).error?.issues[0]?.message).toBe("At most 300 characters");
    expect(pausePortalRequestSchema.safeParse({ reason: "ok", extra: 1 }).success).toBe(false);
  });
});
