import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import type { TriageGroup, TriageView } from "@/lib/triage/list-triage";
import type { TriageLane } from "@/lib/triage/lanes";

export type TriageViewJson = Jsonified<TriageView>;
export type TriageGroupJson = Jsonified<TriageGroup>;

export interface TriageFilters {
  lane: TriageLane | null;
  oem: string | null;
}

/** Query keys of the triage page, so a group action can refresh every page of it. */
export const triageKeys = {
  all: ["triage"] as const,
  list: (filters: TriageFilters) => [...triageKeys.all, "list", filters.lane ?? "all", filters.oem ?? "all"] as const,
};

/** The page size of the triage list (the server page reads the same). */
export const TRIAGE_PAGE_SIZE = 25;

/** `/triage?lane=…&oem=…` (the page's URL for a filter). */
export function triageHref(filters: TriageFilters): string {
  const search = new URLSearchParams();
  if (filters.lane) search.set("lane", filters.lane);
  if (filters.oem) search.set("oem", filters.oem);
  const query = search.toString();
  return query ? `/triage?${query}` : "/triage";
}

export function fetchTriage(filters: TriageFilters, cursor: string | null): Promise<TriageViewJson> {
  const search = new URLSearchParams({ limit: String(TRIAGE_PAGE_SIZE) });
  if (filters.lane) search.set("lane", filters.lane);
  if (filters.oem) search.set("oem", filters.oem);
  if (cursor) search.set("cursor", cursor);
  return fetchJson<TriageViewJson>(`/api/triage?${search.toString()}`, { cache: "no-store", fallback: "The triage groups could not be loaded." });
}
