import { describe, expect, it } from "vitest";
import { freeSlotNumbers, SLOT_RETRY_DELAY_MS, slotRetryDelayMs } from "@/lib/portals/sessions";

describe("portal session slots", () => {
  it("offers the free numbers below the limit, lowest first", () => {
    expect(freeSlotNumbers(3, [])).toEqual([0, 1, 2]);
    expect(freeSlotNumbers(3, [1])).toEqual([0, 2]);
    expect(freeSlotNumbers(1, [])).toEqual([0]);
  });

  it("offers none when the portal's sessions reach the limit", () => {
    expect(freeSlotNumbers(2, [0, 1])).toEqual([]);
    expect(freeSlotNumbers(1, [0])).toEqual([]);
  });

  it("counts sessions held above a lowered limit, so a lower limit is never exceeded", () => {
    // Limit was 3 (slots 1 and 2 taken), now 2: two sessions are open, none may start.
    expect(freeSlotNumbers(2, [1, 2])).toEqual([]);
    // Limit 3 with slot 4 held from an older limit of 5: slots 0-2 minus nothing, but only 2 more may start.
    expect(freeSlotNumbers(3, [4])).toEqual([0, 1, 2]);
    expect(freeSlotNumbers(2, [4, 0])).toEqual([]);
  });

  it("gives a job without a slot back after a short delay jittered within ±50 %", () => {
    expect(slotRetryDelayMs(() => 0)).toBe(SLOT_RETRY_DELAY_MS * 0.5);
    expect(slotRetryDelayMs(() => 0.5)).toBe(SLOT_RETRY_DELAY_MS);
    expect(slotRetryDelayMs(() => 0.999)).toBeLessThan(SLOT_RETRY_DELAY_MS * 1.5);
  });
});
