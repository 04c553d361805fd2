import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import postgres from "postgres";
import { E2E_DATABASE_URL } from "./ports";

// The heals review queue on the Portals page, in real Chromium against the real launcher: a run
// held before the final submit for a proposed heal (seeded as the worker leaves it); a viewer sees
// the proposal and its diff but cannot decide; ops approves it: the cache gets the resolution, the
// run is queued again, and the history offers Revert. Borealis is paused meanwhile so the re-queued
// run's job waits (the worker asks for paused portals on every fetch) and no attempt runs against
// the sandbox with this made-up case; everything is undone afterwards.
let sql: postgres.Sql;
const suffix = randomUUID().slice(0, 8);
const OPS = { name: "Olga Ops", email: `olga-${suffix}@nightshift.test`, password: "olga's long password" };
const VIEWER = { name: "Vic Viewer", email: `vic-${suffix}@nightshift.test`, password: "vic's long password" };
const REFERENCE = `NS-E2E-HEAL-${suffix}`;
const seeded = { healId: "", runId: "", caseId: "" };

const CHANGES = [
  {
    kind: "target",
    targetId: "borealis.claim.submit",
    intent: "the submit button of the warranty claim form",
    step: "submit_claim",
    reversible: false,
    missKind: "not_found",
    missDetail: "css #submit-claim → 0 visible",
    pageFingerprint: `e2e-${suffix}`,
    recipe: { strategy: "role", role: "button", name: "Send claim", nth: null },
    before: { role: "button", name: "Submit claim", label: null, tag: "button", id: "submit-claim", nameAttribute: null, testId: null, type: "submit", placeholder: null, ancestors: ["form:warranty claim"], nearbyText: null, siblingIndex: 0, siblingCount: 1 },
    after: { role: "button", name: "Send claim", label: null, tag: "button", id: "send", nameAttribute: null, testId: null, type: "submit", placeholder: null, ancestors: ["form:warranty claim"], nearbyText: null, siblingIndex: 0, siblingCount: 1 },
    proposedBy: "rule",
    score: 0.71,
    margin: 0.32,
    reasons: [{ feature: "name", weight: 0.25, similarity: 0.5, contribution: 0.125, stored: "Submit claim", observed: "Send claim" }],
    validation: [{ check: "one visible element", ok: true }],
  },
];
const SNAPSHOTS = [{ step: "submit_claim", before: '- form "Warranty claim":\n  - textbox "Serial number"\n  - button "Submit claim"', after: '- form "Warranty claim":\n  - textbox "Serial number"\n  - button "Send claim"' }];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
  await sql`update oems set paused_at = now(), paused_reason = 'e2e: heals review (the re-queued run waits)' where id = 'borealis'`;
  const [c] = await sql<Array<{ id: string }>>`insert into cases (crm_id, reference, oem_id, kind, crm_status, status) values (${`E2E-HEAL-${suffix}`}, ${REFERENCE}, 'borealis', 'warranty_claim', 'new', 'awaiting_approval') returning id`;
  const [run] = await sql<Array<{ id: string }>>`insert into runs (case_id, status, attempt_count, max_attempts, error_code, started_at) values (${c!.id}, 'awaiting_approval', 1, 1, 'awaiting_approval', now()) returning id`;
  const [attempt] = await sql<Array<{ id: string }>>`insert into attempts (run_id, number, status, finished_at) values (${run!.id}, 1, 'held', now()) returning id`;
  const [heal] = await sql<Array<{ id: string }>>`
    insert into heals (oem_id, adapter_version, change_key, changes, snapshots, proposed_by, run_id)
    values ('borealis', '1', ${`e2e-${suffix}`}, ${sql.json(CHANGES)}, ${sql.json(SNAPSHOTS)}, 'rule', ${run!.id}) returning id`;
  await sql`insert into heal_runs (heal_id, run_id, attempt_id, use) values (${heal!.id}, ${run!.id}, ${attempt!.id}, 'awaiting_approval')`;
  Object.assign(seeded, { healId: heal!.id, runId: run!.id, caseId: c!.id });

  // The admin (default storage state) adds the two people through the API, as Settings → People does.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/portals");
  for (const person of [
    { ...OPS, role: "ops" },
    { ...VIEWER, role: "viewer" },
  ]) {
    const response = await page.request.post("/api/users", { data: person, headers: { origin: new URL(page.url()).origin } });
    expect(response.status(), await response.text()).toBe(201);
  }
  await context.close();
});

test.afterAll(async () => {
  if (seeded.runId) {
    await sql`select graphile_worker.remove_job(${`run:${seeded.runId}`})`;
    await sql`update runs set status = 'cancelled', finished_at = now() where id = ${seeded.runId} and status in ('retry_scheduled', 'awaiting_approval')`;
    await sql`update cases set status = 'pending' where id = ${seeded.caseId}`;
    await sql`delete from resolved_actions where heal_id = ${seeded.healId}`;
  }
  await sql`update oems set paused_at = null, paused_reason = null where id = 'borealis'`;
  await sql?.end({ timeout: 5 });
});

async function signIn(browser: Browser, person: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Where everything stands" })).toBeVisible();
  return { context, page };
}

async function expectProposalWithDiff(page: Page) {
  await page.goto("/portals");
  await expect(page.getByTestId("heals-awaiting-notice")).toContainText("awaiting review");
  await expect(page.getByRole("heading", { name: "Heals awaiting review" })).toBeVisible();
  const card = page.getByRole("article", { name: "Heal proposal: Borealis Machinery" });
  await expect(card).toBeVisible();
  await expect(card.getByText("borealis.claim.submit")).toBeVisible();
  await expect(card.getByTestId("proposed-locator")).toHaveText('role button "Send claim"');
  await expect(card.getByText("No visible element matches the target.")).toBeVisible();
  await expect(card.getByText("1 run waiting to submit")).toBeVisible();
  await expect(card.getByRole("link", { name: REFERENCE })).toHaveAttribute("href", `/runs/${seeded.runId}`);
  // The diff: the old button removed on the left, the new one added on the right.
  await expect(card.locator('[data-diff="removed"]')).toHaveText(/button "Submit claim"/);
  await expect(card.locator('[data-diff="added"]')).toHaveText(/button "Send claim"/);
  return card;
}

test("a viewer sees the proposal and its diff, but Approve and Reject are disabled with the reason and the API refuses", async ({ browser }) => {
  const { context, page } = await signIn(browser, VIEWER);
  const card = await expectProposalWithDiff(page);
  for (const name of ["Approve", "Reject"]) {
    const button = card.getByRole("button", { name, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription("Needs the ops role: viewers can look but not act.");
  }
  const results = await new AxeBuilder({ page }).include('[data-testid="heal-proposal"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  const refused = await page.request.post(`/api/heals/${seeded.healId}/approve`, { data: {}, headers: { origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(403);
  expect((await sql<Array<{ status: string }>>`select status from heals where id = ${seeded.healId}`)[0]!.status).toBe("proposed");
  await context.close();
});

test("ops approves the proposal: the replay cache has it, the held run is queued again, and the history offers Revert", async ({ browser }) => {
  const { context, page } = await signIn(browser, OPS);
  const card = await expectProposalWithDiff(page);
  await card.getByRole("button", { name: "Approve", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog.getByText("1 run waiting for it is queued again and will submit.", { exact: false })).toBeVisible();
  await dialog.getByLabel("Note (optional)").fill("e2e: Send claim is the new submit");
  await dialog.getByRole("button", { name: "Approve change" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/Borealis Machinery heal approved as version \d+: 1 run queued again\./)).toBeVisible();
  await expect(card).toBeHidden();

  const history = page.getByTestId("heal-history");
  const row = history.locator(`[data-heal-id="${seeded.healId}"]`);
  await expect(row).toContainText("Approved");
  await expect(row).toContainText("e2e: Send claim is the new submit");
  await expect(row.getByRole("button", { name: "Revert" })).toBeEnabled();

  const [heal] = await sql<Array<{ status: string; decided_by: string; version: number }>>`select status, decided_by, version from heals where id = ${seeded.healId}`;
  expect(heal).toMatchObject({ status: "approved", decided_by: OPS.email });
  const cached = await sql<Array<{ target_id: string }>>`select target_id from resolved_actions where heal_id = ${seeded.healId}`;
  expect(cached.map((r) => r.target_id)).toEqual(["borealis.claim.submit"]);
  const [run] = await sql<Array<{ status: string; max_attempts: number }>>`select status, max_attempts from runs where id = ${seeded.runId}`;
  expect(run).toEqual({ status: "retry_scheduled", max_attempts: 2 });
  const jobs = await sql<Array<{ n: number }>>`select count(*)::int as n from graphile_worker.jobs where key = ${`run:${seeded.runId}`}`;
  expect(jobs[0]!.n).toBe(1);
  const [audit] = await sql<Array<{ actor: string }>>`select actor from audit_log where action = 'heal.approve' and details->>'healId' = ${seeded.healId}`;
  expect(audit?.actor).toBe(OPS.email);
  await context.close();
});
