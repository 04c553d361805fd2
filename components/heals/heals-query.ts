/**
 * The review queue's live data: query keys per status, the fetcher of `GET /api/heals`, and the
 * date parsing of its JSON.
 */
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import type { HealStatus } from "@/lib/healing/records";
import type { HealView } from "@/lib/heals/list-heals";

export const healKeys = {
  all: ["heals"] as const,
  list: (status: HealStatus) => ["heals", status] as const,
};

/** How many decided heals the history shows. */
export const HEAL_HISTORY_LIMIT = 20;
export const HEALS_REFETCH_MS = 30_000;

const toDateOrNull = (value: string | null) => (value === null ? null : new Date(value));

export function parseHeal(json: Jsonified<HealView>): HealView {
  return {
    ...(json as unknown as HealView),
    createdAt: new Date(json.createdAt),
    decidedAt: toDateOrNull(json.decidedAt),
    revertedAt: toDateOrNull(json.revertedAt),
    runs: json.runs.map((run) => ({ ...run, usedAt: new Date(run.usedAt) })),
  };
}

export async function fetchHeals(status: HealStatus, limit = 50): Promise<HealView[]> {
  const body = await fetchJson<{ heals: Jsonified<HealView>[] }>(`/api/heals?status=${status}&limit=${limit}`, { cache: "no-store", fallback: "The heals could not be loaded." });
  return body.heals.map(parseHeal);
}

export const healHistoryKey = [...healKeys.all, "history"] as const;

/** The history from its per-status lists: newest decision first, at most `HEAL_HISTORY_LIMIT`. */
export function mergeHealHistory(lists: HealView[][]): HealView[] {
  return lists
    .flat()
    .sort((a, b) => decidedTime(b) - decidedTime(a))
    .slice(0, HEAL_HISTORY_LIMIT);
}

/** Approved, rejected and reverted heals (three requests: the API lists one status at a time). */
export async function fetchHealHistory(): Promise<HealView[]> {
  return mergeHealHistory(await Promise.all((["approved", "rejected", "reverted"] as const).map((status) => fetchHeals(status, HEAL_HISTORY_LIMIT))));
}

export function decidedTime(heal: Pick<HealView, "revertedAt" | "decidedAt" | "createdAt">): number {
  return (heal.revertedAt ?? heal.decidedAt ?? heal.createdAt).getTime();
}
