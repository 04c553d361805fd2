/**
 * Settings → Alerts and digest over JSON: GET /api/settings/alerts (everyone signed in) and the
 * admin-only changes under /api/settings/alerts/destinations. Dates stay ISO strings.
 */
import type { AlertSettingsView } from "@/lib/alerts/alert-settings";
import type { DestinationView } from "@/lib/alerts/destinations";
import type { AlertDestinationKind } from "@/lib/alerts/vocabulary";
import { fetchJson, postJson } from "@/components/query/fetch-json";

export type AlertSettingsAnswer = AlertSettingsView;
export type DestinationJson = DestinationView;
export type DeliveryJson = AlertSettingsView["deliveries"][number];

export const alertKeys = { all: ["settings", "alerts"] as const };

export function fetchAlertSettings(): Promise<AlertSettingsAnswer> {
  return fetchJson<AlertSettingsAnswer>("/api/settings/alerts", { fallback: "The alert settings could not be loaded." });
}

export interface NewDestination {
  kind: AlertDestinationKind;
  target: string;
  label?: string;
  receivesAlerts: boolean;
  receivesDigest: boolean;
}

export function createDestination(input: NewDestination): Promise<{ destination: DestinationJson; secret: string | null }> {
  return postJson("/api/settings/alerts/destinations", input, { fallback: "The destination could not be added." });
}

export function updateDestination(params: { id: string; enabled?: boolean; receivesAlerts?: boolean; receivesDigest?: boolean }): Promise<DestinationJson> {
  const { id, ...patch } = params;
  return fetchJson(`/api/settings/alerts/destinations/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(patch), fallback: "The destination could not be changed." });
}

/** DELETE answers 204 without a body (fetchJson reads it as null). */
export async function deleteDestination(id: string): Promise<void> {
  await fetchJson<null>(`/api/settings/alerts/destinations/${id}`, { method: "DELETE", fallback: "The destination could not be deleted." });
}

export function sendTest(id: string): Promise<{ deliveryId: string }> {
  return postJson(`/api/settings/alerts/destinations/${id}/test`, undefined, { fallback: "The test message could not be queued." });
}
