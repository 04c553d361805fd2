import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { ADMIN } from "./auth";
import { E2E_DATABASE_URL } from "./ports";

// The runs view in Chromium against the real launcher (playwright.config.ts). The database is read
// to find runs to act on; the one write is pausing a portal (its queue then holds retried runs as
// queued, so one can be cancelled before a worker takes it), undone at the end.
let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

/** A run that ended in a terminal fail (the seeded sandbox has cases the portals reject) and whose case has no open run. */
async function terminalFail(): Promise<{ id: string; reference: string; oemId: string }> {
  let found: { id: string; reference: string; oem_id: string } | undefined;
  await expect(async () => {
    [found] = await sql<Array<{ id: string; reference: string; oem_id: string }>>`select r.id, c.reference, c.oem_id from runs r join cases c on c.id = r.case_id
      where r.status in ('needs_review', 'failed', 'parked') and c.status <> 'submitted'
        and not exists (select 1 from runs o where o.case_id = r.case_id and o.status in ('queued', 'running', 'retry_scheduled'))
        and (select count(*) from runs o where o.case_id = r.case_id) = 1
      order by r.finished_at desc nulls last limit 1`;
    expect(found).toBeDefined();
  }, "a run that ended in a terminal fail").toPass({ timeout: 180_000, intervals: [2_000] });
  return { id: found!.id, reference: found!.reference, oemId: found!.oem_id };
}

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a filter chosen in the UI goes into the URL, and reloading or sharing the URL keeps it", async ({ page, context }) => {
  test.setTimeout(240_000);
  const failed = await terminalFail();
  const [status] = await sql<Array<{ status: string }>>`select status from runs where id = ${failed.id}`;
  const label = { needs_review: "Needs review", failed: "Failed", parked: "Parked" }[status!.status as "needs_review" | "failed" | "parked"];

  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 2, name: "Runs", exact: true })).toBeVisible();
  await expect(page.getByText(/runs? match/)).toBeVisible();

  await page.getByRole("button", { name: "Filter by status" }).click();
  await page.getByRole("menuitemcheckbox", { name: label }).click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(new RegExp(`[?&]status=${status!.status}(&|$)`));
  await expect(page.getByRole("button", { name: `Status: ${label}` })).toBeVisible();
  const statuses = page.locator('tbody [data-slot="run-status-badge"]');
  await expect(statuses.first()).toBeVisible();
  for (const value of await statuses.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-status")))) expect(value).toBe(status!.status);

  await page.getByRole("searchbox", { name: "Filter runs by case reference" }).fill(failed.reference);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(failed.reference)}`));
  await expect(page.locator(`tr[data-run-id="${failed.id}"]`)).toBeVisible();
  // A failed row says why, in a sentence, and shows its screenshot when it has one.
  const reason = await sql<Array<{ reason: string | null; shot: string | null }>>`select failure->>'reason' as reason, failure->'evidence'->>'screenshot' as shot from runs where id = ${failed.id}`;
  if (reason[0]?.reason) await expect(page.locator(`tr[data-run-id="${failed.id}"]`)).toContainText(reason[0].reason.slice(0, 40));
  if (reason[0]?.shot) await expect(page.locator(`tr[data-run-id="${failed.id}"] [data-slot="screenshot-thumbnail"] img`)).toHaveJSProperty("complete", true);

  const shared = page.url();
  await page.reload();
  await expect(page.getByRole("button", { name: `Status: ${label}` })).toBeVisible();
  await expect(page.getByRole("searchbox", { name: "Filter runs by case reference" })).toHaveValue(failed.reference);
  await expect(page.locator("tbody tr")).toHaveCount(1);

  const other = await context.newPage();
  await other.goto(shared);
  await expect(other.locator(`tr[data-run-id="${failed.id}"]`)).toBeVisible();
  await expect(other.getByRole("button", { name: `Status: ${label}` })).toBeVisible();
  await other.close();

  await expectNoSeriousAxeViolations(page);

  // A hand-edited link with a bad value gets a readable message, not a crash.
  await page.goto("/runs?status=exploded&from=yesterday");
  await expect(page.getByText("This link's filters could not be read")).toBeVisible();
  await expect(page.getByText(/Not a date/)).toBeVisible();
});

test("ops select a failed run, retry it, then cancel the queued retry — each confirmed, toasted and audited", async ({ page }) => {
  test.setTimeout(240_000);
  const failed = await terminalFail();
  // Hold that portal's queue so the fresh run stays queued long enough to be cancelled.
  await sql`update oems set paused_at = now(), paused_reason = 'e2e: holding the queue' where id = ${failed.oemId}`;
  try {
    await page.goto(`/runs?q=${encodeURIComponent(failed.reference)}`);
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(1);

    await page.getByRole("checkbox", { name: `Select the run of ${failed.reference}` }).check();
    await expect(page.getByRole("region", { name: "Bulk actions" })).toContainText("1 run selected");
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Retry 1 run?");
    await expect(dialog).toContainText("The selected run qualifies.");
    await dialog.getByLabel(/^Name/).fill("E2E retry after the data fix");
    await dialog.getByRole("button", { name: "Retry 1 run" }).click();
    await expect(page.getByText("E2E retry after the data fix: 1 retried.")).toBeVisible();

    // The list refreshes: the fresh run appears on top, queued (its portal is held).
    await expect(rows).toHaveCount(2);
    const fresh = rows.first();
    await expect(fresh.locator('[data-slot="run-status-badge"]')).toHaveAttribute("data-status", "queued");
    const freshId = await fresh.getAttribute("data-run-id");
    expect(freshId).toBeTruthy();

    await page.getByRole("checkbox", { name: `Select the run of ${failed.reference}` }).first().check();
    await page.getByRole("button", { name: "Cancel runs" }).click();
    await expect(dialog).toContainText("Cancel 1 run?");
    await dialog.getByRole("button", { name: "Cancel 1 run" }).click();
    await expect(page.getByText(/Cancel 1 queued .* run: 1 cancelled\./)).toBeVisible();
    await expect(page.locator(`tr[data-run-id="${freshId}"] [data-slot="run-status-badge"]`)).toHaveAttribute("data-status", "cancelled");

    const [caseRow] = await sql<Array<{ status: string }>>`select c.status from cases c join runs r on r.case_id = c.id where r.id = ${freshId}`;
    expect(caseRow?.status).toBe("pending");
    const records = await sql<Array<{ action: string; name: string; results: Record<string, number>; actor: string }>>`select action, name, results, actor from bulk_actions order by created_at`;
    expect(records.slice(-2)).toEqual([
      { action: "retry", name: "E2E retry after the data fix", results: { retried: 1, skipped: 0 }, actor: ADMIN.email },
      { action: "cancel", name: expect.stringMatching(/^Cancel 1 queued \w+ run$/) as unknown as string, results: { cancelled: 1, skipped: 0 }, actor: ADMIN.email },
    ]);
    const audit = await sql<Array<{ action: string }>>`select action from audit_log where bulk_action_id is not null and run_id in (${failed.id}, ${freshId}) order by created_at`;
    expect(audit.map((row) => row.action)).toEqual(["retry_run", "cancel_run"]);
  } finally {
    await sql`update oems set paused_at = null, paused_reason = null where id = ${failed.oemId}`;
  }
});

test("the runs view passes axe in dark mode too", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 2, name: "Runs", exact: true })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});
