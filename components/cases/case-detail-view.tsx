"use client";

import { SectionHeading } from "@/components/overview/section-heading";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TERMINAL_FAIL_STATUSES, isOneOf } from "@/lib/domain/vocabulary";
import { formatCountOf } from "@/lib/format/number";
import { CaseHeader } from "./case-header";
import { CaseProperties } from "./case-properties";
import { CaseRuns } from "./case-runs";
import { FailureCard } from "./failure-card";
import { FormDataList } from "./form-data-list";
import { useCaseDetail } from "./use-case-detail";
import { WriteBacksCard } from "./write-backs-card";

/** One case's identity, form data, failure card, runs with attempts and screenshots, and CRM write-backs; live while it moves. */
export function CaseDetailView({ caseId }: { caseId: string }) {
  const { data: detail } = useCaseDetail(caseId);
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
