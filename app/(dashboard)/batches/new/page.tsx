// Run now: the saved recipe in a form, changed for one batch; ?caseId= runs one case from its page.
import type { Metadata } from "next";
import { z } from "zod";
import { RunNowForm, type RunNowCase } from "@/components/batches/run-now-form";
import { getEnv } from "@/lib/config/env";
import { findCaseSummary } from "@/lib/cases/queries/find-case-summary";
import { listCaseKinds } from "@/lib/cases/queries/list-case-kinds";
import { getSharedDatabase } from "@/lib/db/shared";
import { OEM_CATALOG } from "@/lib/oems/catalog";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Run now" };

export default async function RunNowPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { db } = getSharedDatabase();
  const caseId = z.uuid().safeParse((await searchParams).caseId);
  const forCase: RunNowCase | null = caseId.success ? await findCaseSummary(db, caseId.data) : null;
  const kinds = await listCaseKinds(db);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h2 className="text-xl font-semibold tracking-tight">Run now</h2>
        <p className="text-sm text-muted-foreground">Start a batch outside the schedule — for every eligible case, one OEM, or one case.</p>
      </div>
      {/* With a language model configured, an instruction in words can propose the parameters. */}
      <RunNowForm oems={OEM_CATALOG} kinds={kinds} forCase={forCase} steering={getEnv().HEALING_LLM !== "off"} />
    </div>
  );
}
