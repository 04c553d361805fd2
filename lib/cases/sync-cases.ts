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
  const pageSize = params.pageSize ?? 200;
  let [cursorRow] = await db.select({ since: max(cases.crmUpdatedAt) }).from(cases);
  let since = cursorRow?.since ?? null;
  let stored = 0;
  let skipped = 0;
  for (let page = 0; page < (params.maxPages ?? 50); page++) {
    const batch = await deps.crm.listChangedCases({ since, limit: pageSize });
    for (const crmCase of batch) {
      if (!isKnownOem(crmCase.oem)) {
        skipped += 1;
        continue;
      }
      await upsertCaseFromCrm(db, crmCase);
      stored += 1;
    }
    if (batch.length < pageSize) break;
    [cursorRow] = await db.select({ since: max(cases.crmUpdatedAt) }).from(cases);
    since = cursorRow?.since ?? since;
  }
  if (stored > 0 || skipped > 0) deps.log.info({ stored, skipped }, "synced cases from the CRM");
  return { stored, skipped };
}
