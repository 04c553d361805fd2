// The "0 wrong filings" oracle (issue 12): every filing on the sandbox must carry exactly what the
// adapter's mapping makes of its case's data, field by field, in the portal's own field names. The
// mappings are pure functions of the case (tested on their own); healing decides only *where* a
// value goes, so a heal that put a value into the wrong field shows up here as a wrong filing.

import { mapArdenClaim } from "@/jobs/automation/adapters/arden/mapping";
import { mapBorealisSubmission } from "@/jobs/automation/adapters/borealis/mapping";
import { mapCorvidReport } from "@/jobs/automation/adapters/corvid/mapping";
import type { CaseForSubmission } from "@/lib/domain/types";

export interface SandboxFiling {
  oem: string;
  reference: string;
  confirmationNumber: string;
  unitId: string;
  fields: Record<string, string>;
  document: unknown;
}

export interface WrongFiling {
  reference: string;
  problem: string;
}

/** What the portal must have received for this case, keyed by the sandbox's canonical field names. */
export function expectedFields(c: CaseForSubmission): { unitId: string; fields: Record<string, string>; document: boolean } {
  switch (c.oemId) {
    case "arden": {
      const claim = mapArdenClaim(c);
      return { unitId: claim.vin, fields: { ...claim, confirmAccuracy: "yes" }, document: false };
    }
    case "borealis": {
      const submission = mapBorealisSubmission(c);
      return { unitId: submission.machine.serialNumber, fields: { ...submission.machine, ...submission.details, declaration: "yes" }, document: true };
    }
    case "corvid": {
      const { instrumentId, ...report } = mapCorvidReport(c);
      return { unitId: instrumentId, fields: report, document: false };
    }
    default:
      throw new Error(`no filing oracle for portal ${c.oemId}`);
  }
}

/** Every way the sandbox's filings differ from what the cases say (empty: no wrong filing). */
export async function wrongFilings(sandboxUrl: string, cases: readonly CaseForSubmission[]): Promise<WrongFiling[]> {
  const res = await fetch(`${sandboxUrl}/sandbox/admin/filings`);
  const { filings } = (await res.json()) as { filings: SandboxFiling[] };
  const problems: WrongFiling[] = [];
  for (const c of cases) {
    const mine = filings.filter((f) => f.oem === c.oemId && f.reference.toUpperCase() === c.reference.toUpperCase());
    if (mine.length !== 1) {
      problems.push({ reference: c.reference, problem: `${mine.length} filings on ${c.oemId}, expected exactly 1` });
      continue;
    }
    const filing = mine[0]!;
    const expected = expectedFields(c);
    if (filing.unitId !== expected.unitId) problems.push({ reference: c.reference, problem: `unit ${filing.unitId}, expected ${expected.unitId}` });
    for (const [field, value] of Object.entries(expected.fields)) {
      const filed = filing.fields[field] ?? "";
      if (filed !== String(value)) problems.push({ reference: c.reference, problem: `${field} = ${JSON.stringify(filed)}, expected ${JSON.stringify(String(value))}` });
    }
    if (expected.document && !filing.document) problems.push({ reference: c.reference, problem: "no supporting document attached" });
  }
  return problems;
}
