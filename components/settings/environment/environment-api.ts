/** Settings → Environment and Promote over JSON: the doctor's report, and settings import (preview, apply). */
import type { DoctorReport } from "@/lib/doctor/types";
import type { ImportResult } from "@/lib/promote/settings-transfer";
import { fetchJson, postJson } from "@/components/query/fetch-json";

export type { DoctorReport, ImportResult };

export const environmentKeys = { doctor: ["settings", "doctor"] as const };

export const fetchDoctorReport = (refresh = false) =>
  fetchJson<DoctorReport>(`/api/settings/doctor${refresh ? "?refresh=1" : ""}`, { cache: "no-store", fallback: "The environment report could not be loaded." });

export const previewImport = (document: unknown) => postJson<ImportResult>("/api/settings/import?preview=1", document, { fallback: "The settings file could not be read." });
export const applyImport = (document: unknown) => postJson<ImportResult>("/api/settings/import", document, { fallback: "The settings could not be imported." });
