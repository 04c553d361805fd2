import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { E2E_PORT, E2E_SANDBOX_URL } from "./ports";

// The launcher of playwright.config.ts runs the sandbox (E2E_SANDBOX_URL) with its data in .nightshift/e2e.
const SANDBOX = E2E_SANDBOX_URL;
const CRM = { authorization: "Bearer sandbox-crm-token" };
const secret = () => readFileSync(".nightshift/e2e/sandbox/webhook-secret", "utf8").trim();

async function totalCases(request: APIRequestContext): Promise<number> {
  const html = await (await request.get("/cases")).text();
  const match = /([\d,]+) cases?(?:<!-- -->)? in total/.exec(html);
  return Number((match?.[1] ?? "-1").replace(/,/g, ""));
}

test("files the seeded sandbox cases after start-up and shows each filing's screenshot", async ({ page }) => {
  // The start-up batch files the seeded cases (not only those the CRM already had as submitted).
  await expect(async () => {
    await page.goto("/cases?status=submitted");
    await expect(page.getByText(/^(ARD|BOR|CVD)-/).first()).toBeVisible();
    await expect(page.getByText(/^1 \/ 3$/).first()).toBeVisible();
  }, "a filed case in the list").toPass({ timeout: 90_000 });
  // Open a case that Nightshift filed (one with an attempt) and look at its final screenshot.
  await page.getByRole("row").filter({ hasText: "/ 3" }).first().getByRole("link").first().click();
  await expect(page.getByText("Succeeded").first()).toBeVisible();
  const screenshot = page.locator("img[src^='/api/artifacts/']").first();
  await screenshot.scrollIntoViewIfNeeded();
  await expect.poll(() => screenshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
});

test("a case created in the CRM reaches Nightshift by signed webhook and the CRM shows it submitted", async ({ request }) => {
  const created = await request.post(`${SANDBOX}/crm/api/cases`, { headers: CRM, data: { oem: "borealis", kind: "warranty_claim", unitId: "BM-WL4-118204" } });
  expect(created.status()).toBe(201);
  const crmCase = (await created.json()) as { id: string; reference: string };
  const urgent = await request.post(`${SANDBOX}/sandbox/admin/crm/cases/${crmCase.id}/urgent`);
  expect(urgent.status()).toBe(200);
  await expect(async () => {
    const current = (await (await request.get(`${SANDBOX}/crm/api/cases/${crmCase.id}`, { headers: CRM })).json()) as { status: string; confirmationNumber: string | null };
    expect(current.status).toBe("submitted");
    expect(current.confirmationNumber).toMatch(/^BOR-\d{8}$/);
  }).toPass({ timeout: 90_000 });
  const filings = (await (await request.get(`${SANDBOX}/sandbox/admin/filings`)).json()) as { filings: Array<{ reference: string }> };
  expect(filings.filings.filter((f) => f.reference === crmCase.reference)).toHaveLength(1);
});

test("forged, stale, oversized and malformed webhooks get 401/401/413/400 and change nothing", async ({ request }) => {
  const before = await totalCases(request);
  expect(before).toBeGreaterThan(0);
  const body = JSON.stringify({ type: "case.urgent", data: { caseId: "CRM-000101" } });
  const sign = (payload: string, at: Date, key = secret()) => {
    const id = `msg_e2e_${Math.random().toString(36).slice(2)}`;
    return { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(key).sign(id, at, payload) };
  };
  const forgedKey = `whsec_${Buffer.from("not-the-crm-secret-at-all-000000").toString("base64")}`;
  // Raw bytes: the signature covers exactly what is sent.
  const post = (headers: Record<string, string>, data: string) => request.post("/api/webhooks/crm", { headers, data: Buffer.from(data) });

  expect((await post(sign(body, new Date(), forgedKey), body)).status()).toBe(401);
  expect((await post(sign(body, new Date(Date.now() - 10 * 60_000)), body)).status()).toBe(401);
  expect((await post({ "content-type": "application/json" }, body)).status()).toBe(401);
  const huge = JSON.stringify({ type: "case.urgent", data: { caseId: "CRM-000101", padding: "x".repeat(300 * 1024) } });
  expect((await post(sign(huge, new Date()), huge)).status()).toBe(413);
  const malformed = "{not json";
  const response = await post(sign(malformed, new Date()), malformed);
  expect(response.status()).toBe(400);
  expect(((await response.json()) as { reason: string }).reason).toBe("The body is not valid JSON.");

  expect(await totalCases(request)).toBe(before);
});

test("a terminal fail's CRM note links to its screenshot with an absolute, signed link that only works untampered", async ({ request }) => {
  // The seeded cases with bad data end as "needs review" with a failure note in the CRM.
  let link: string | undefined;
  await expect(async () => {
    const { cases } = (await (await request.get(`${SANDBOX}/sandbox/admin/crm/cases`)).json()) as { cases: Array<{ notes: Array<{ kind: string; body: string }> }> };
    const note = cases.flatMap((c) => c.notes).find((n) => n.kind === "nightshift_failure" && /Screenshot: /.test(n.body));
    link = /Screenshot: (\S+)/.exec(note?.body ?? "")?.[1];
    expect(link).toBeDefined();
  }, "a failure note with a screenshot link").toPass({ timeout: 180_000, intervals: [2_000] });
  // Absolute (a person opens it from the CRM), on the app's own address, signed and expiring.
  expect(link).toMatch(new RegExp(String.raw`^http://127\.0\.0\.1:${E2E_PORT}/api/artifacts/runs/[0-9a-f-]{36}/\d+/failure\.png\?expires=\d+&sig=[\w-]+$`));
  const image = await request.get(link!);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/png");
  const tampered = await request.get(link!.replace(/sig=([\w-])/, (_m, c: string) => `sig=${c === "a" ? "b" : "a"}`));
  expect(tampered.status()).toBe(403);
  const unsigned = await request.get(link!.split("?")[0]!);
  expect(unsigned.status()).toBe(403);
});
