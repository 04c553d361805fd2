import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE, scheduleSchema, type Schedule } from "@/lib/schedule/schedule";
import { deadlineAfter, describeSchedule, latestSlot, nextSlot, nightKeyOf, timeZoneInWords } from "@/lib/schedule/slots";

const chicago = (time: string, deadline = "07:00"): Schedule => ({ enabled: true, time, timeZone: "America/Chicago", deadline });
const berlin = (time: string, deadline = "07:00"): Schedule => ({ enabled: true, time, timeZone: "Europe/Berlin", deadline });
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("the latest slot and its night", () => {
  it("is the slot itself at the exact slot instant, and the previous night's one second before", () => {
    // 01:30 CST = 07:30 UTC in winter.
    const slot = latestSlot(DEFAULT_SCHEDULE, at("2026-12-02T07:30:00.000Z"));
    expect(iso(slot.at)).toBe("2026-12-02T07:30:00.000Z");
    expect(slot.nightKey).toBe("2026-12-02");
    expect(iso(slot.deadline)).toBe("2026-12-02T13:00:00.000Z");
    const before = latestSlot(DEFAULT_SCHEDULE, at("2026-12-02T07:29:59.999Z"));
    expect(iso(before.at)).toBe("2026-12-01T07:30:00.000Z");
    expect(before.nightKey).toBe("2026-12-01");
  });

  it("keys a night by the slot's local date, not its UTC date", () => {
    // 23:30 Chicago on Dec 2 is 05:30 UTC on Dec 3.
    const slot = latestSlot(chicago("23:30", "06:00"), at("2026-12-03T06:00:00Z"));
    expect(iso(slot.at)).toBe("2026-12-03T05:30:00.000Z");
    expect(slot.nightKey).toBe("2026-12-02");
    // The deadline is the next 06:00 after the slot: the next morning.
    expect(iso(slot.deadline)).toBe("2026-12-03T12:00:00.000Z");
    expect(nightKeyOf(at("2026-12-03T05:30:00Z"), "Europe/Berlin")).toBe("2026-12-03");
  });

  it("gives the next slot strictly after now, in summer time too", () => {
    // 01:30 CDT = 06:30 UTC in summer; at the slot itself the next one is tomorrow's.
    expect(iso(nextSlot(DEFAULT_SCHEDULE, at("2026-07-01T06:30:00Z")).at)).toBe("2026-07-02T06:30:00.000Z");
    expect(iso(nextSlot(DEFAULT_SCHEDULE, at("2026-07-01T06:29:00Z")).at)).toBe("2026-07-01T06:30:00.000Z");
  });
});

describe("daylight saving in America/Chicago", () => {
  it("fires a 02:30 slot once at 03:00 CDT on the spring-forward night (2026-03-08), where 02:30 does not exist", () => {
    const schedule = chicago("02:30");
    const slot = nextSlot(schedule, at("2026-03-07T12:00:00Z"));
    expect(iso(slot.at)).toBe("2026-03-08T08:00:00.000Z"); // 03:00 CDT
    expect(slot.nightKey).toBe("2026-03-08");
    expect(iso(slot.deadline)).toBe("2026-03-08T12:00:00.000Z"); // 07:00 CDT
    // Once: through the rest of the night the latest slot stays that one, and the next is the next night's 02:30 CDT.
    expect(iso(latestSlot(schedule, at("2026-03-08T11:59:00Z")).at)).toBe("2026-03-08T08:00:00.000Z");
    expect(iso(nextSlot(schedule, slot.at).at)).toBe("2026-03-09T07:30:00.000Z");
  });

  it("fires a 01:30 slot once, at the first 01:30 (CDT), on the fall-back night (2026-11-01), where 01:30 happens twice", () => {
    const slot = nextSlot(DEFAULT_SCHEDULE, at("2026-10-31T12:00:00Z"));
    expect(iso(slot.at)).toBe("2026-11-01T06:30:00.000Z"); // 01:30 CDT; 01:30 CST would be 07:30Z
    expect(slot.nightKey).toBe("2026-11-01");
    expect(iso(slot.deadline)).toBe("2026-11-01T13:00:00.000Z"); // 07:00 CST
    // At the second 01:30 the latest slot is still the first one: no second slot that night.
    const second = latestSlot(DEFAULT_SCHEDULE, at("2026-11-01T07:30:00Z"));
    expect(iso(second.at)).toBe("2026-11-01T06:30:00.000Z");
    expect(iso(nextSlot(DEFAULT_SCHEDULE, at("2026-11-01T07:30:00Z")).at)).toBe("2026-11-02T07:30:00.000Z");
  });
});

describe("daylight saving in Europe/Berlin", () => {
  it("fires a 02:30 slot once at 03:00 CEST on the spring-forward night (2026-03-29)", () => {
    const schedule = berlin("02:30");
    const slot = nextSlot(schedule, at("2026-03-28T12:00:00Z"));
    expect(iso(slot.at)).toBe("2026-03-29T01:00:00.000Z"); // 03:00 CEST
    expect(slot.nightKey).toBe("2026-03-29");
    expect(iso(slot.deadline)).toBe("2026-03-29T05:00:00.000Z"); // 07:00 CEST
    expect(iso(nextSlot(schedule, slot.at).at)).toBe("2026-03-30T00:30:00.000Z");
  });

  it("fires a 02:30 slot once, at the first 02:30 (CEST), on the fall-back night (2026-10-25)", () => {
    const schedule = berlin("02:30");
    const slot = nextSlot(schedule, at("2026-10-24T12:00:00Z"));
    expect(iso(slot.at)).toBe("2026-10-25T00:30:00.000Z"); // 02:30 CEST; 02:30 CET is 01:30Z
    expect(slot.nightKey).toBe("2026-10-25");
    expect(iso(latestSlot(schedule, at("2026-10-25T01:30:00Z")).at)).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(nextSlot(schedule, at("2026-10-25T01:30:00Z")).at)).toBe("2026-10-26T01:30:00.000Z");
    expect(iso(slot.deadline)).toBe("2026-10-25T06:00:00.000Z"); // 07:00 CET
  });

  it("fires a 01:30 slot once in the last night of summer time, before the repeated hour", () => {
    const schedule = berlin("01:30");
    const slot = nextSlot(schedule, at("2026-10-24T12:00:00Z"));
    expect(iso(slot.at)).toBe("2026-10-24T23:30:00.000Z"); // 01:30 CEST on Oct 25
    expect(slot.nightKey).toBe("2026-10-25");
    expect(iso(nextSlot(schedule, slot.at).at)).toBe("2026-10-26T00:30:00.000Z"); // 01:30 CET
  });
});

describe("the deadline", () => {
  it("is the next local deadline time after the slot, across a changeover", () => {
    // Slot 22:00 CDT on Oct 31, deadline 06:00 CST on Nov 1 (an hour longer night).
    expect(iso(deadlineAfter(at("2026-11-01T03:00:00Z"), { deadline: "06:00", timeZone: "America/Chicago" }))).toBe("2026-11-01T12:00:00.000Z");
  });
});

describe("the schedule in words", () => {
  it("names the time, the zone and the deadline", () => {
    expect(describeSchedule(DEFAULT_SCHEDULE)).toBe("Every night at 1:30 AM Central · done by 7:00 AM");
    expect(describeSchedule(berlin("23:15", "06:00"))).toBe("Every night at 11:15 PM Central European · done by 6:00 AM the next day");
    expect(describeSchedule({ ...DEFAULT_SCHEDULE, enabled: false })).toBe("Paused — no nightly batch (set for 1:30 AM Central · done by 7:00 AM)");
  });

  it("falls back to the IANA name when Intl has no words for the zone", () => {
    expect(timeZoneInWords("UTC")).toBe("UTC");
    expect(timeZoneInWords("Etc/GMT+5")).toBe("Etc/GMT+5");
  });

  it("refuses a schedule with an impossible time or an unknown zone", () => {
    const result = scheduleSchema.safeParse({ enabled: true, time: "25:00", timeZone: "Mars/Olympus", deadline: "07:00" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["time", "timeZone"]));
  });
});
