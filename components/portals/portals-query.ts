/**
 * The Portals page's live data: its query key, the fetcher of `GET /api/portals`, the date parsing
 * of its JSON, and how often to poll (often while any portal holds a session, rarely when idle).
 */
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import type { PortalStats } from "@/lib/portals/portal-stats";

export const portalKeys = {
  all: ["portals"] as const,
};

export const PORTALS_BUSY_REFETCH_MS = 10_000;
export const PORTALS_IDLE_REFETCH_MS = 60_000;

const toDateOrNull = (value: string | null) => (value === null ? null : new Date(value));

export function parsePortalStats(json: Jsonified<PortalStats>): PortalStats {
  return {
    ...json,
    generatedAt: new Date(json.generatedAt),
    portals: json.portals.map((portal) => ({
      ...portal,
      pausedAt: toDateOrNull(portal.pausedAt),
      lastFailure: portal.lastFailure ? { ...portal.lastFailure, finishedAt: new Date(portal.lastFailure.finishedAt) } : null,
    })),
  };
}

export async function fetchPortalStats(): Promise<PortalStats> {
  return parsePortalStats(await fetchJson<Jsonified<PortalStats>>("/api/portals", { cache: "no-store", fallback: "The portals could not be loaded." }));
}

/** Fast while any portal has a session open (work is being filed), slow otherwise. */
export function portalsRefetchInterval(stats: PortalStats | undefined): number {
  return stats?.portals.some((portal) => portal.sessions.inUse > 0) ? PORTALS_BUSY_REFETCH_MS : PORTALS_IDLE_REFETCH_MS;
}
