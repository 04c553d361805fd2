import type { BatchOrder } from "../domain/vocabulary";
import { portalLimit, type Recipe } from "../batches/recipe";

/**
 * One line of a proposal's diff against the recipe: the field (as the batch request names it),
 * the recipe's value and the proposed one. Per-portal session limits are compared as they take
 * effect (the portal's own limit, else the recipe's default), one row per OEM.
 */
export type ParameterDiffRow =
  | { kind: "oems"; field: "oemIds"; recipe: string[]; proposed: string[]; changed: boolean }
  | { kind: "kinds"; field: "caseKinds"; recipe: string[]; proposed: string[]; changed: boolean }
  | { kind: "order"; field: "order"; recipe: BatchOrder; proposed: BatchOrder; changed: boolean }
  | { kind: "sessions"; field: "concurrency" | "defaultPortalConcurrency"; recipe: number; proposed: number; changed: boolean }
  | { kind: "portal_sessions"; field: `portalConcurrency.${string}`; oemId: string; recipe: number; proposed: number; changed: boolean }
  | { kind: "dry_run"; field: "dryRun"; recipe: boolean; proposed: boolean; changed: boolean }
  | { kind: "retry"; field: "retry"; recipe: Recipe["retry"]; proposed: Recipe["retry"]; changed: boolean }
  | { kind: "note"; field: "opsNote"; recipe: string; proposed: string; changed: boolean };

/** Two id lists mean the same filter when they hold the same ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}

function sameRetry(a: Recipe["retry"], b: Recipe["retry"]): boolean {
  if (a === null || b === null) return a === b;
  return a.maxAttempts === b.maxAttempts && a.delaySeconds === b.delaySeconds;
}

/**
 * Every batch parameter, the recipe's value beside the proposed one, in the form's order. `oemIds`
 * are the portals to compare session limits for (the catalog, in display order).
 */
export function diffParameters(recipe: Recipe, proposed: Recipe, oemIds: readonly string[]): ParameterDiffRow[] {
  return [
    { kind: "oems", field: "oemIds", recipe: recipe.oemIds, proposed: proposed.oemIds, changed: !sameIds(recipe.oemIds, proposed.oemIds) },
    { kind: "kinds", field: "caseKinds", recipe: recipe.caseKinds, proposed: proposed.caseKinds, changed: !sameIds(recipe.caseKinds, proposed.caseKinds) },
    { kind: "order", field: "order", recipe: recipe.order, proposed: proposed.order, changed: recipe.order !== proposed.order },
    { kind: "sessions", field: "concurrency", recipe: recipe.concurrency, proposed: proposed.concurrency, changed: recipe.concurrency !== proposed.concurrency },
    {
      kind: "sessions",
      field: "defaultPortalConcurrency",
      recipe: recipe.defaultPortalConcurrency,
      proposed: proposed.defaultPortalConcurrency,
      changed: recipe.defaultPortalConcurrency !== proposed.defaultPortalConcurrency,
    },
    ...oemIds.map((oemId) => {
      const before = portalLimit(recipe, oemId);
      const after = portalLimit(proposed, oemId);
      return { kind: "portal_sessions", field: `portalConcurrency.${oemId}`, oemId, recipe: before, proposed: after, changed: before !== after } as const;
    }),
    { kind: "dry_run", field: "dryRun", recipe: recipe.dryRun, proposed: proposed.dryRun, changed: recipe.dryRun !== proposed.dryRun },
    { kind: "retry", field: "retry", recipe: recipe.retry, proposed: proposed.retry, changed: !sameRetry(recipe.retry, proposed.retry) },
    { kind: "note", field: "opsNote", recipe: recipe.opsNote, proposed: proposed.opsNote, changed: recipe.opsNote !== proposed.opsNote },
  ];
}
