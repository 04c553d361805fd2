import { describe, expect, it } from "vitest";
import { DEFAULT_RECIPE, PRODUCTION_RETRY_BOUNDS, type Recipe } from "@/lib/batches/recipe";
import { checkProposal, type SteeringContext } from "@/lib/steering/check-proposal";
import type { SteerAnswer } from "@/lib/steering/model-answer";
import { diffParameters, sameIds } from "@/lib/steering/parameter-diff";
import { steeringPrompt } from "@/lib/steering/steering-prompt";
import { parsePrice } from "@/lib/healing/model-tier";
import { callCostUsd } from "@/lib/steering/llm-price";

const OEMS = [
  { id: "arden", label: "Arden Motors" },
  { id: "borealis", label: "Borealis Machinery" },
  { id: "corvid", label: "Corvid Instruments" },
];
const RECIPE: Recipe = { ...DEFAULT_RECIPE, order: "oldest_first", concurrency: 4, defaultPortalConcurrency: 2, portalConcurrency: { corvid: 3 } };
const CONTEXT: SteeringContext = { recipe: RECIPE, oems: OEMS, kinds: ["recall", "warranty_claim"], bounds: PRODUCTION_RETRY_BOUNDS };
const KEEP: SteerAnswer = { reading: "", understood: true, oemIds: null, caseKinds: null, order: null, concurrency: null, portalSessions: null, dryRun: null, notExpressible: [] };

const changedRows = (recipe: Recipe, proposed: Recipe) =>
  diffParameters(recipe, proposed, OEMS.map((o) => o.id))
    .filter((row) => row.changed)
    .map((row) => [row.field, row.recipe, row.proposed]);

describe("the diff of proposed parameters against the recipe", () => {
  it("lists every parameter and marks none changed when the proposal is the recipe", () => {
    const rows = diffParameters(RECIPE, RECIPE, ["arden", "borealis", "corvid"]);
    expect(rows.map((row) => row.field)).toEqual(["oemIds", "caseKinds", "order", "concurrency", "defaultPortalConcurrency", "portalConcurrency.arden", "portalConcurrency.borealis", "portalConcurrency.corvid", "dryRun", "retry", "opsNote"]);
    expect(rows.filter((row) => row.changed)).toEqual([]);
  });

  it("compares OEM and kind filters as sets, so a reordered list is no change", () => {
    expect(sameIds(["arden", "corvid"], ["corvid", "arden"])).toBe(true);
    expect(sameIds(["arden"], ["arden", "corvid"])).toBe(false);
    expect(changedRows({ ...RECIPE, oemIds: ["arden", "corvid"] }, { ...RECIPE, oemIds: ["corvid", "arden"] })).toEqual([]);
    expect(changedRows(RECIPE, { ...RECIPE, oemIds: ["corvid", "arden"] })).toEqual([["oemIds", [], ["corvid", "arden"]]]);
  });

  it("compares each portal's limit as it takes effect: an explicit limit equal to the default is no change, a new default changes every portal without its own", () => {
    expect(changedRows(RECIPE, { ...RECIPE, portalConcurrency: { corvid: 3, arden: 2 } })).toEqual([]);
    expect(changedRows(RECIPE, { ...RECIPE, portalConcurrency: { corvid: 1 } })).toEqual([["portalConcurrency.corvid", 3, 1]]);
    expect(changedRows(RECIPE, { ...RECIPE, defaultPortalConcurrency: 1 })).toEqual([
      ["defaultPortalConcurrency", 2, 1],
      ["portalConcurrency.arden", 2, 1],
      ["portalConcurrency.borealis", 2, 1],
    ]);
  });

  it("sees order, sessions, dry run, retry and note changes", () => {
    const proposed: Recipe = { ...RECIPE, order: "redaction_first", concurrency: 2, dryRun: true, retry: { maxAttempts: 2, delaySeconds: 300 }, opsNote: "x" };
    expect(changedRows(RECIPE, proposed)).toEqual([
      ["order", "oldest_first", "redaction_first"],
      ["concurrency", 4, 2],
      ["dryRun", false, true],
      ["retry", null, { maxAttempts: 2, delaySeconds: 300 }],
      ["opsNote", "", "x"],
    ]);
    expect(changedRows({ ...RECIPE, retry: { maxAttempts: 2, delaySeconds: 300 } }, { ...RECIPE, retry: { maxAttempts: 2, delaySeconds: 300 } })).toEqual([]);
  });
});

describe("checking a model's proposal", () => {
  it("turns “only Corvid and Arden, redaction-sensitive first, at most one session on Corvid” into those parameters, the diff and the change Run now sends", () => {
    const result = checkProposal({ ...KEEP, reading: "Corvid and Arden only, redaction-sensitive first, one Corvid session.", oemIds: ["corvid", "arden", "corvid"], order: "redaction_first", portalSessions: [{ oemId: "corvid", sessions: 1 }] }, CONTEXT);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.parameters).toEqual({ ...RECIPE, oemIds: ["corvid", "arden"], order: "redaction_first", portalConcurrency: { corvid: 1 } });
    expect(result.change).toEqual({ oemIds: ["corvid", "arden"], order: "redaction_first", portalConcurrency: { corvid: 1 } });
    expect(result.diff.filter((row) => row.changed).map((row) => row.field)).toEqual(["oemIds", "order", "portalConcurrency.corvid"]);
  });

  it("keeps every field the answer leaves null, and a limit equal to the portal's current one adds no entry", () => {
    const result = checkProposal({ ...KEEP, dryRun: true, portalSessions: [{ oemId: "arden", sessions: 2 }] }, CONTEXT);
    expect(result).toMatchObject({ ok: true, parameters: { ...RECIPE, dryRun: true }, change: { dryRun: true } });
  });

  it("refuses an OEM Nightshift has no portal for, naming it and the known ones", () => {
    const result = checkProposal({ ...KEEP, oemIds: ["arden", "delta"] }, CONTEXT);
    expect(result).toMatchObject({ ok: false, problems: ["It names an OEM Nightshift has no portal for: “delta” (known: arden, borealis, corvid)."] });
    if (!result.ok) expect(result.reason).toMatch(/^The proposal was refused: .*Nothing was changed/);
  });

  it("refuses a portal limit above the recipe's for that portal instead of clamping it", () => {
    expect(checkProposal({ ...KEEP, portalSessions: [{ oemId: "corvid", sessions: 4 }] }, CONTEXT)).toMatchObject({
      ok: false,
      problems: ["It asks for 4 sessions on Corvid Instruments; the recipe allows at most 3 there. Words only lower a portal's limit: raise it in the recipe first."],
    });
    expect(checkProposal({ ...KEEP, portalSessions: [{ oemId: "arden", sessions: 3 }] }, CONTEXT)).toMatchObject({ ok: false, problems: [expect.stringContaining("the recipe allows at most 2 there")] });
    expect(checkProposal({ ...KEEP, portalSessions: [{ oemId: "arden", sessions: 0 }] }, CONTEXT)).toMatchObject({ ok: false, problems: [expect.stringContaining("needs at least 1")] });
  });

  it("refuses unknown case kinds, a limit for an unknown portal, conflicting limits and a batch size out of bounds, all in one sentence list", () => {
    const result = checkProposal(
      {
        ...KEEP,
        caseKinds: ["recall", "tax_return"],
        concurrency: 40,
        portalSessions: [
          { oemId: "zephyr", sessions: 1 },
          { oemId: "arden", sessions: 1 },
          { oemId: "arden", sessions: 2 },
        ],
      },
      CONTEXT,
    );
    expect(result).toMatchObject({
      ok: false,
      problems: [
        "It names a case kind no case has: “tax_return” (known: recall, warranty_claim).",
        "It asks for 40 browser sessions across the batch; a batch runs between 1 and 16.",
        "It sets a session limit for “zephyr”, an OEM Nightshift has no portal for (known: arden, borealis, corvid).",
        "It gives Arden Motors two different session limits (1 and 2).",
      ],
    });
  });

  it("refuses an answer that says it understood nothing, quoting its reading", () => {
    expect(checkProposal({ ...KEEP, understood: false, reading: "A question about the weather." }, CONTEXT)).toMatchObject({
      ok: false,
      problems: ["The model found nothing in the instruction that batch parameters can express (it read: “A question about the weather.”)."],
    });
  });
});

describe("the prompt and the price", () => {
  it("gives the model the OEM ids with names and effective limits, the kinds, the orders, and the instruction between markers", () => {
    const prompt = steeringPrompt(CONTEXT, "only Corvid, please");
    expect(prompt).toContain("- corvid: Corvid Instruments (session limit 3)");
    expect(prompt).toContain("- arden: Arden Motors (session limit 2)");
    expect(prompt).toContain("- warranty_claim");
    expect(prompt).toContain("- redaction_first:");
    expect(prompt).toMatch(/<<<\nonly Corvid, please\n>>>$/);
  });

  it("costs a call from HEALING_LLM_PRICE_PER_MTOK and the token counts, or nothing without them", () => {
    const price = parsePrice("0.15,0.6");
    expect(price).toEqual({ input: 0.15, output: 0.6 });
    expect(callCostUsd(price, { inputTokens: 1_000_000, outputTokens: 500_000 })).toBeCloseTo(0.45);
    expect(callCostUsd(null, { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(callCostUsd(price, { inputTokens: null, outputTokens: 10 })).toBeNull();
  });
});
