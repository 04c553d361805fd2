import { max } from "drizzle-orm";
import { cases } from "@/drizzle/schema";
import type { CrmConnector } from "../crm/connector";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { isKnownOem } from "../oems/catalog";
import { upsertCaseFromCrm } from "./upsert-case";

/**
 * Pulls cases the CRM created or changed since the newest one we hold (the webhook's safety net:
 * a missed delivery is caught here). Cases of OEMs we cannot file for are skipped and counted.
 */
export async function syncCasesFromCrm(db: Db, deps: { crm: CrmConnector; log: Logger }, params: { pageSize?: number; maxPages?: number } = {}) {
  const [cursorRow] = await db.select({ since: max(cases.crmUpdatedAt) }).from(cases);
  const since = cursorRow?.since ?? null;
  let cursor: string | null = null;
  let stored = 0;
  let skipped = 0;
  for (let page = 0; page < (params.maxPages ?? 100); page++) {
    const result = await deps.crm.listChangedCases({ since, limit: params.pageSize ?? 200, cursor });
    for (const crmCase of result.cases) {
      if (!isKnownOem(crmCase.oem)) {
        skipped += 1;
        continue;
      }
      await upsertCaseFromCrm(db, crmCase);
      stored += 1;
    }
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  if (stored > 0 || skipped > 0) deps.log.info({ stored, skipped }, "synced cases from the CRM");
  return { stored, skipped };
}
