// Case page: one case's identity, form data, failure card, runs with attempts and screenshots, and CRM write-backs.
import { cache } from "react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CaseHeader } from "@/components/cases/case-header";
import { CaseProperties } from "@/components/cases/case-properties";
import { CaseRuns } from "@/components/cases/case-runs";
import { FailureCard } from "@/components/cases/failure-card";
import { FormDataList } from "@/components/cases/form-data-list";
import { WriteBacksCard } from "@/components/cases/write-backs-card";
import { SectionHeading } from "@/components/overview/section-heading";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { getSharedDatabase } from "@/lib/db/shared";
import { TERMINAL_FAIL_STATUSES, isOneOf } from "@/lib/domain/vocabulary";
import { formatCountOf } from "@/lib/format/number";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

// Until the artifact store signs links (`store.signedUrl(key, { ttlSeconds })`), artifacts are served by key.
const artifactUrl = (key: string) => `/api/artifacts/${key}`;

// One read per request, shared by the metadata and the page.
const loadCase = cache(async (id: string) => {
  const caseId = z.uuid().safeParse(id);
  if (!caseId.success) return null;
  return getCaseDetail(getSharedDatabase().db, { caseId: caseId.data, artifactUrl });
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const detail = await loadCase((await params).id);
  return { title: detail ? detail.reference : "Case not found" };
}

export default async function CasePage({ params }: Props) {
  const detail = await loadCase((await params).id);
  if (!detail) notFound();

  const latest = detail.runs[0];

  return (
    <div className="flex flex-col gap-6">
      <CaseHeader detail={detail} status={detail.displayStatus} />

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="flex min-w-0 flex-col gap-6">
          {latest?.failure && isOneOf(TERMINAL_FAIL_STATUSES, latest.status) ? <FailureCard failure={latest.failure} status={latest.status} /> : null}

          <Card className="gap-4">
            <CardHeader>
              <CardTitle>Submission data</CardTitle>
              <CardDescription className="text-xs">What Nightshift files on the {detail.oem.label} portal, as received from the CRM</CardDescription>
            </CardHeader>
            <CardContent>
              <FormDataList formData={detail.formData} masked={detail.redactionSensitive} />
            </CardContent>
          </Card>

          <section className="flex flex-col gap-3">
            <SectionHeading
              title="Runs"
              description={detail.runs.length === 0 ? "No submission yet" : `${formatCountOf(detail.runs.length, "run")}, newest first, with every attempt`}
            />
            <CaseRuns runs={detail.runs} />
          </section>
        </div>

        <aside className="flex flex-col gap-6 lg:sticky lg:top-20">
          <CaseProperties detail={detail} status={detail.displayStatus} />
          <WriteBacksCard entries={detail.writeBacks} />
        </aside>
      </div>
    </div>
  );
}
