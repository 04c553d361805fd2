import { databaseIdentity } from "../config/environments";
import { DOCTOR_CHECKS } from "../doctor/checks";
import { createDoctorContext } from "../doctor/context";
import { runDoctor } from "../doctor/run-doctor";
import type { DoctorReport } from "../doctor/types";
import { getWebDeps } from "./web-deps";

/** How long the Settings page's report is reused: the checks make real calls (CRM, identity provider). */
export const DOCTOR_CACHE_MS = 30_000;

const globalForDoctor = globalThis as typeof globalThis & { nightshiftDoctor?: { at: number; report: Promise<DoctorReport> } };

/**
 * The doctor's report for the running web app (Settings → Environment), at most one run per 30 s
 * across requests; every check has its own timeout, so the page never hangs on a slow CRM.
 */
export function getWebDoctorReport(params: { refresh?: boolean } = {}): Promise<DoctorReport> {
  const cached = globalForDoctor.nightshiftDoctor;
  // A refresh is honoured once the cached report is 5 s old, so a button cannot hammer the CRM.
  const maxAge = params.refresh ? 5_000 : DOCTOR_CACHE_MS;
  if (cached && Date.now() - cached.at < maxAge) return cached.report;
  const deps = getWebDeps();
  const report = runDoctor(
    DOCTOR_CHECKS,
    createDoctorContext({ env: deps.env, db: deps.db, databaseSource: databaseIdentity(deps.env.DATABASE_URL) ?? "embedded", integrations: () => deps.integrations }),
  );
  globalForDoctor.nightshiftDoctor = { at: Date.now(), report };
  report.catch(() => {
    if (globalForDoctor.nightshiftDoctor?.report === report) globalForDoctor.nightshiftDoctor = undefined;
  });
  return report;
}
