import { OemBadge } from "@/components/oem/oem-badge";
import { RelativeTime } from "@/components/relative-time";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { CaseListStatus } from "@/lib/cases/case-list-statuses";
import type { CaseDetail } from "@/lib/cases/queries/get-case-detail";
import { CrmStatusBadge } from "./crm-status-badge";
import { caseKindLabel } from "./labels";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7.5rem_minmax(0,1fr)] items-center gap-3 py-2 first:pt-0 last:pb-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

const none = <span className="text-muted-foreground">—</span>;

/** The case's properties: our status, the CRM's view, identifiers and dates. */
export function CaseProperties({ detail, status }: { detail: CaseDetail; status: CaseListStatus }) {
  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>Details</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Row label="Our status">
            <RunStatusBadge status={status} size="sm" />
          </Row>
          <Row label="CRM status">
            <CrmStatusBadge status={detail.crmStatus} />
          </Row>
          <Row label="Confirmation">{detail.confirmationNumber ? <span className="font-mono text-xs font-medium">{detail.confirmationNumber}</span> : none}</Row>
          <Row label="CRM id">
            <span className="font-mono text-xs">{detail.crmId}</span>
          </Row>
          <Row label="OEM">
            <OemBadge label={detail.oem.label} color={detail.oem.color} monogram={detail.oem.monogram} size="sm" showLabel />
          </Row>
          <Row label="Kind">{caseKindLabel(detail.kind)}</Row>
          <Row label="Created">
            <RelativeTime date={detail.createdAt} />
          </Row>
          <Row label="Updated">
            <RelativeTime date={detail.updatedAt} />
          </Row>
          <Row label="CRM updated">{detail.crmUpdatedAt ? <RelativeTime date={detail.crmUpdatedAt} /> : none}</Row>
        </dl>
      </CardContent>
    </Card>
  );
}
