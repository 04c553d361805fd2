import { describe, expect, it } from "vitest";
import { ERROR_CLASSES } from "@/lib/domain/vocabulary";
import { classesInLane, laneFor, laneRank, TRIAGE_LANES } from "@/lib/triage/lanes";

describe("triage lanes", () => {
  it("sends site flakes, pop-ups, changed sites and adapter bugs to engineering", () => {
    expect(classesInLane("engineering")).toEqual(["site_flake", "site_popup", "site_changed", "adapter_bug"]);
  });

  it("sends portal rejections to ops, credentials to admin and infrastructure to its own lane", () => {
    expect(laneFor("portal_rejected")).toBe("ops");
    expect(laneFor("auth")).toBe("admin");
    expect(laneFor("infra")).toBe("infrastructure");
  });

  it("puts every class in exactly one lane", () => {
    const placed = TRIAGE_LANES.flatMap((lane) => classesInLane(lane));
    expect([...placed].sort()).toEqual([...ERROR_CLASSES].sort());
  });

  it("treats a terminal fail without a class as engineering's gap", () => {
    expect(laneFor(null)).toBe("engineering");
  });

  it("orders the lanes engineering, ops, admin, infrastructure", () => {
    expect(TRIAGE_LANES.map(laneRank)).toEqual([0, 1, 2, 3]);
    expect(laneRank("infrastructure")).toBeGreaterThan(laneRank("admin"));
  });
});
