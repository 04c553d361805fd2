import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { byTestId, crm, PortalClient, startTestSandbox, UNITS, yesterday, type CaseBody } from "./helpers.js";

const STEP1 = { caseReference: "NS-2026-00512", submissionType: "emissions_report", serialNumber: UNITS.borealis, action: "next" };
const STEP2 = {
  engineHours: "1870",
  eventDate: "",
  systemCategory: "exhaust_aftertreatment",
  details: "Annual Stage V emissions inspection, NOx 0.38 g/kWh.",
  contactName: "Ingrid Nygaard",
  contactPhone: "+47 555 123 456",
  action: "next",
};

describe("Borealis Machinery portal (multi-step wizard with upload)", () => {
  let sandbox: Sandbox;
  let client: PortalClient;
  let pdf: Buffer;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = new PortalClient(sandbox.url);
    await client.login("borealis");
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "borealis", kind: "emissions_report", unitId: UNITS.borealis } });
    const res = await fetch(`${sandbox.url}/crm/api/cases/${created.body.id}/attachment.pdf`, { headers: { authorization: "Bearer test-crm-token" } });
    pdf = Buffer.from(await res.arrayBuffer());
  });
  afterAll(async () => {
    await sandbox.close();
  });

  function upload(data: Buffer, filename: string, type: string, action = "next"): FormData {
    const form = new FormData();
    form.set("action", action);
    form.set("supportingDocument", new Blob([new Uint8Array(data)], { type }), filename);
    return form;
  }

  it("walks the wizard (machine → details → PDF upload → review) to a receipt number", async () => {
    const start = await client.get("/portals/borealis/submission/start");
    expect(new URL(start.url).pathname).toBe("/portals/borealis/submission/step/1");
    expect(start.html).toContain('id="serial-number"');

    const step2 = await client.postForm("/portals/borealis/submission/step/1", STEP1);
    expect(new URL(step2.url).pathname).toBe("/portals/borealis/submission/step/2");
    const step3 = await client.postForm("/portals/borealis/submission/step/2", { ...STEP2, eventDate: yesterday() });
    expect(new URL(step3.url).pathname).toBe("/portals/borealis/submission/step/3");
    expect(step3.html).toContain('enctype="multipart/form-data"');
    const step4 = await client.postMultipart("/portals/borealis/submission/step/3", upload(pdf, "NS-2026-00512.pdf", "application/pdf"));
    expect(new URL(step4.url).pathname).toBe("/portals/borealis/submission/step/4");
    expect(step4.html).toContain("NS-2026-00512.pdf");
    expect(step4.html).toContain('data-testid="review-summary"');

    const receipt = await client.postForm("/portals/borealis/submission/step/4", { declaration: "yes", action: "submit" });
    const number = byTestId(receipt.html, "receipt-number");
    expect(number).toMatch(/^BOR-\d{8}$/);
    const filing = sandbox.state.filings.find((f) => f.confirmationNumber === number);
    expect(filing).toMatchObject({ oem: "borealis", reference: "NS-2026-00512", unitId: UNITS.borealis, kind: "emissions_report" });
    expect(filing?.document).toMatchObject({ filename: "NS-2026-00512.pdf", size: pdf.length });

    const search = await client.get("/portals/borealis/filings?reference=NS-2026-00512");
    expect(search.html).toContain(`data-confirmation-number="${number ?? ""}"`);
  });

  it("shows an invalid serial format inline next to the field and stays on step 1", async () => {
    await client.get("/portals/borealis/submission/start");
    const page = await client.postForm("/portals/borealis/submission/step/1", { ...STEP1, serialNumber: "BM-EX2-4512" });
    expect(page.status).toBe(422);
    expect(new URL(page.url).pathname).toBe("/portals/borealis/submission/step/1");
    expect(page.html).toMatch(/id="serial-number"[^>]*aria-invalid="true"/);
    expect(byTestId(page.html, "field-error-serialNumber")).toBe("Invalid serial number format — expected BM-XXX-NNNNNN (e.g. BM-EX2-004512)");
  });

  it("rejects a non-PDF upload with an inline error", async () => {
    await client.get("/portals/borealis/submission/start");
    await client.postForm("/portals/borealis/submission/step/1", STEP1);
    await client.postForm("/portals/borealis/submission/step/2", { ...STEP2, eventDate: yesterday() });
    const page = await client.postMultipart("/portals/borealis/submission/step/3", upload(Buffer.from("PK\u0003\u0004 not a pdf"), "photo.zip", "application/zip"));
    expect(page.status).toBe(422);
    expect(byTestId(page.html, "field-error-document")).toBe("Only PDF files are accepted — the selected file is not a PDF");
    const missing = await client.postMultipart("/portals/borealis/submission/step/3", (() => {
      const f = new FormData();
      f.set("action", "next");
      return f;
    })());
    expect(byTestId(missing.html, "field-error-document")).toBe("Choose a PDF file to upload");
  });

  it("validates step 2 (future date, short details) and supports going back", async () => {
    await client.get("/portals/borealis/submission/start");
    await client.postForm("/portals/borealis/submission/step/1", STEP1);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const page = await client.postForm("/portals/borealis/submission/step/2", { ...STEP2, eventDate: future, details: "too short" });
    expect(byTestId(page.html, "field-error-eventDate")).toBe("Event date cannot be in the future");
    expect(byTestId(page.html, "field-error-details")).toBe("Details must be between 20 and 4,000 characters");
    const back = await client.postForm("/portals/borealis/submission/step/2", { ...STEP2, action: "back" });
    expect(new URL(back.url).pathname).toBe("/portals/borealis/submission/step/1");
    expect(back.html).toContain(`value="${UNITS.borealis}"`);
  });

  it("does not let a user skip ahead to a later step", async () => {
    await client.get("/portals/borealis/submission/start");
    const page = await client.get("/portals/borealis/submission/step/4");
    expect(new URL(page.url).pathname).toBe("/portals/borealis/submission/step/1");
  });

  it("requires the declaration on the review step", async () => {
    await client.get("/portals/borealis/submission/start");
    await client.postForm("/portals/borealis/submission/step/1", STEP1);
    await client.postForm("/portals/borealis/submission/step/2", { ...STEP2, eventDate: yesterday() });
    await client.postMultipart("/portals/borealis/submission/step/3", upload(pdf, "doc.pdf", "application/pdf"));
    const page = await client.postForm("/portals/borealis/submission/step/4", { action: "submit" });
    expect(byTestId(page.html, "field-error-declaration")).toBe("You must accept the declaration to submit");
  });
});
