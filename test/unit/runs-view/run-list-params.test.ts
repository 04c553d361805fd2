import { describe, expect, it } from "vitest";
import { runListHref } from "@/components/runs-view/run-list-url";
import { bulkActionBodySchema } from "@/lib/runs/bulk-actions";
import {
  decodeRunListCursor,
  EMPTY_RUN_LIST_FILTER,
  encodeRunListCursor,
  parseRunListParams,
  runListDateBounds,
  runListFilterSchema,
} from "@/lib/runs/queries/run-list-params";

const BATCH = "0b9f5a52-8a57-4d43-9a3b-1e0d6c4b7f10";
const RUN = "7d2c1f3e-5b4a-4c8d-9e6f-0a1b2c3d4e5f";

function ok(raw: Record<string, string | string[] | undefined>) {
  const parsed = parseRunListParams(raw);
  if (!parsed.ok) throw new Error(`expected valid params, got ${parsed.message}`);
  return parsed.params;
}

function fields(raw: Record<string, string | string[] | undefined>) {
  const parsed = parseRunListParams(raw);
  if (parsed.ok) throw new Error("expected invalid params");
  return parsed.fields;
}

describe("the runs view's URL parameters", () => {
  it("read as every run, newest page, 50 per page when empty", () => {
    expect(ok({})).toEqual({ ...EMPTY_RUN_LIST_FILTER, cursor: null, limit: 50 });
  });

  it("take every filter of the contract", () => {
    const params = ok({ oem: "arden", status: "failed", errorClass: "site_changed", batch: BATCH, from: "2026-12-01", to: "2026-12-02", q: " NS-2026 ", fingerprint: "arden:submit:abc123", limit: "200" });
    expect(params).toEqual({ oem: "arden", status: ["failed"], errorClass: "site_changed", batch: BATCH, from: "2026-12-01", to: "2026-12-02", q: "NS-2026", fingerprint: "arden:submit:abc123", cursor: null, limit: 200 });
  });

  it("take statuses repeated or as a comma list, without duplicates", () => {
    expect(ok({ status: ["failed", "parked"] }).status).toEqual(["failed", "parked"]);
    expect(ok({ status: "failed,parked, needs_review" }).status).toEqual(["failed", "parked", "needs_review"]);
    expect(ok({ status: ["failed,parked", "failed"] }).status).toEqual(["failed", "parked"]);
  });

  it("treat empty values as absent and ignore unknown parameters", () => {
    expect(ok({ oem: "", q: "   ", status: "", utm_source: "mail" })).toEqual({ ...EMPTY_RUN_LIST_FILTER, cursor: null, limit: 50 });
  });

  it("refuse bad values with a message per field", () => {
    expect(fields({ status: "exploded" }).status?.[0]).toMatch(/^Not a run status/);
    expect(fields({ errorClass: "gremlins" }).errorClass?.[0]).toMatch(/^Not an error class/);
    expect(fields({ batch: "42" })).toEqual({ batch: ["Not a batch id"] });
    expect(fields({ oem: "Arden Motors!" })).toEqual({ oem: ["Not an OEM id"] });
    expect(fields({ from: "yesterday" })).toEqual({ from: ["Not a date (use YYYY-MM-DD)"] });
    expect(fields({ to: "2026-02-30" })).toEqual({ to: ["Not a date (use YYYY-MM-DD)"] });
    expect(fields({ limit: "0" })).toEqual({ limit: ["At least 1"] });
    expect(fields({ limit: "201" })).toEqual({ limit: ["At most 200"] });
    expect(fields({ limit: "ten" })).toEqual({ limit: ["Not a number"] });
    expect(fields({ q: "x".repeat(101) })).toEqual({ q: ["At most 100 characters"] });
    expect(fields({ cursor: "not-a-cursor" })).toEqual({ cursor: ["Not a valid page link; start again from the newest runs"] });
  });

  it("refuse a date range that ends before it starts, and accept a single day", () => {
    expect(fields({ from: "2026-12-03", to: "2026-12-02" })).toEqual({ to: ["Must not be before “from”"] });
    expect(ok({ from: "2026-12-02", to: "2026-12-02" }).to).toBe("2026-12-02");
  });

  it("read a date as its whole UTC day and a date-time as that instant", () => {
    expect(runListDateBounds({ from: "2026-12-01", to: "2026-12-02" })).toEqual({ createdFrom: new Date("2026-12-01T00:00:00.000Z"), createdBefore: new Date("2026-12-03T00:00:00.000Z") });
    expect(runListDateBounds({ from: "2026-12-01T06:00:00-06:00", to: "2026-12-01T18:30:00Z" })).toEqual({ createdFrom: new Date("2026-12-01T12:00:00.000Z"), createdBefore: new Date("2026-12-01T18:30:00.001Z") });
    expect(runListDateBounds({ from: null, to: null })).toEqual({ createdFrom: null, createdBefore: null });
  });
});

describe("the keyset cursor", () => {
  it("round-trips the anchor to the microsecond, in both directions", () => {
    for (const direction of ["after", "before"] as const) {
      const cursor = { direction, createdAt: "2026-12-02T01:30:00.123456Z", id: RUN };
      const encoded = encodeRunListCursor(cursor);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeRunListCursor(encoded)).toEqual(cursor);
      expect(ok({ cursor: encoded }).cursor).toEqual(cursor);
    }
  });

  it("rejects anything it did not make", () => {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(decodeRunListCursor("")).toBeNull();
    expect(decodeRunListCursor("%%%")).toBeNull();
    expect(decodeRunListCursor(json({ d: "after", t: "2026-12-02T01:30:00Z" }))).toBeNull();
    expect(decodeRunListCursor(json({ d: "sideways", t: "2026-12-02T01:30:00Z", i: RUN }))).toBeNull();
    expect(decodeRunListCursor(json({ d: "after", t: "yesterday", i: RUN }))).toBeNull();
    expect(decodeRunListCursor(json({ d: "after", t: "2026-12-02T01:30:00Z", i: "1; drop table runs" }))).toBeNull();
    expect(decodeRunListCursor(json({ d: "after", t: "2026-12-02T01:30:00Z", i: RUN, extra: 1 }))).toBeNull();
  });
});

describe("the runs view's links", () => {
  it("carry the filter in a stable order and parse back to the same filter", () => {
    const filter = { ...EMPTY_RUN_LIST_FILTER, oem: "arden", status: ["failed" as const, "parked" as const], batch: BATCH, q: "NS 50%" };
    const href = runListHref(filter, { cursor: null });
    expect(href).toBe(`/runs?q=NS+50%25&oem=arden&status=failed%2Cparked&batch=${BATCH}`);
    const back = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(ok(back)).toMatchObject(filter);
    expect(runListHref(EMPTY_RUN_LIST_FILTER)).toBe("/runs");
  });
});

describe("a bulk action's body", () => {
  it("takes ids or a filter, never both or neither", () => {
    expect(bulkActionBodySchema.parse({ action: "retry", selection: { runIds: [RUN, RUN] } })).toEqual({ action: "retry", selection: { runIds: [RUN] } });
    expect(bulkActionBodySchema.parse({ action: "cancel", name: "  Tonight's Corvid queue ", selection: { filter: { oem: "corvid", status: ["queued"] } } })).toEqual({
      action: "cancel",
      name: "Tonight's Corvid queue",
      selection: { filter: { ...EMPTY_RUN_LIST_FILTER, oem: "corvid", status: ["queued"] } },
    });
    expect(bulkActionBodySchema.safeParse({ action: "retry", selection: {} }).success).toBe(false);
    expect(bulkActionBodySchema.safeParse({ action: "retry", selection: { runIds: [RUN], filter: {} } }).success).toBe(false);
  });

  it("refuses unknown actions, bad ids, empty selections and page fields in a filter", () => {
    expect(bulkActionBodySchema.safeParse({ action: "delete", selection: { runIds: [RUN] } }).error?.issues[0]).toMatchObject({ path: ["action"], message: "Choose retry or cancel" });
    expect(bulkActionBodySchema.safeParse({ action: "retry", selection: { runIds: ["nope"] } }).error?.issues[0]).toMatchObject({ path: ["selection", "runIds", 0], message: "Not a run id" });
    expect(bulkActionBodySchema.safeParse({ action: "retry", selection: { runIds: [] } }).error?.issues[0]).toMatchObject({ message: "Select at least one run" });
    expect(runListFilterSchema.safeParse({ cursor: "x" }).success).toBe(false);
    expect(runListFilterSchema.safeParse({ status: "failed,bogus" }).success).toBe(false);
    expect(bulkActionBodySchema.safeParse({ action: "retry", name: "x".repeat(121), selection: { runIds: [RUN] } }).success).toBe(false);
  });
});
