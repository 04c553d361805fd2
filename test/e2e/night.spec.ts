import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { ADMIN } from "./auth";
import { E2E_DATABASE_URL } from "./ports";

// Steering the night from the dashboard, in real Chromium against the real launcher: every page in
// the navigation exists, the Settings forms (schedule, recipe) validate with the shared schema and
// save audited versions, and Run now from a case page starts a dry-run batch whose page shows it.
const DATABASE_URL = E2E_DATABASE_URL;

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

test("every page in the navigation opens (no link leads to a 404)", async ({ page }) => {
  await page.goto("/");
  const links = page.getByRole("navigation").first().getByRole("link");
  const hrefs = [...new Set(await links.evaluateAll((elements) => elements.map((a) => a.getAttribute("href") ?? "")))].filter((href) => href.startsWith("/"));
  expect(hrefs).toEqual(expect.arrayContaining(["/", "/cases", "/batches", "/settings"]));
  for (const href of hrefs) {
    const response = await page.goto(href);
    expect(response?.status(), href).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Nightshift");
  }
});

test("the recipe form shows a bad value's error beside its field and saves nothing; a good save is a new version in the history", async ({ page }) => {
  const versionsBefore = (await sql<Array<{ n: number }>>`select count(*)::int as n from recipe_versions`)[0]!.n;
  await page.goto("/settings");
  const recipe = page.getByRole("form", { name: "Recipe" });
  await recipe.getByLabel("Sessions in all").fill("99");
  await recipe.getByRole("button", { name: "Save as new version" }).click();
  await expect(recipe.getByText("At most 16")).toBeVisible();
  await expect(recipe.getByLabel("Sessions in all")).toHaveAttribute("aria-invalid", "true");
  expect((await sql<Array<{ n: number }>>`select count(*)::int as n from recipe_versions`)[0]!.n).toBe(versionsBefore);

  await recipe.getByLabel("Sessions in all").fill("4");
  await recipe.getByLabel("What changed").fill("e2e: four sessions");
  await recipe.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByText(/Recipe saved as version \d+/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "e2e: four sessions" })).toBeVisible();
  const [saved] = await sql<Array<{ recipe: { concurrency: number }; note: string }>>`select recipe, note from recipe_versions order by version desc limit 1`;
  expect(saved).toMatchObject({ recipe: { concurrency: 4 }, note: "e2e: four sessions" });
});

test("the schedule form saves a local time in another zone, says it in words, and the change is audited", async ({ page }) => {
  await page.goto("/settings");
  const schedule = page.getByRole("form", { name: "Nightly schedule" });
  await schedule.getByLabel("Starts at").fill("02:15");
  await schedule.getByLabel("Time zone").selectOption("Europe/Berlin");
  await schedule.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByText("Every night at 2:15 AM Central European · done by 7:00 AM").first()).toBeVisible();
  const [row] = await sql<Array<{ time: string; time_zone: string }>>`select time, time_zone from schedule_settings where id = 'nightly'`;
  expect(row).toEqual({ time: "02:15", time_zone: "Europe/Berlin" });
  const [audit] = await sql<Array<{ details: { before: { timeZone: string }; after: { timeZone: string } } }>>`select details from audit_log where action = 'schedule.update' order by created_at desc limit 1`;
  expect(audit?.details.after.timeZone).toBe("Europe/Berlin");
});

test("Run now from a case page starts a dry-run batch: the batch page shows the dry run, its ops note and the run ending with nothing filed", async ({ page }) => {
  test.setTimeout(240_000);
  // The seeded sandbox has cases the portals reject (bad data); pick one that has no open run.
  let target: { id: string; reference: string } | undefined;
  await expect(async () => {
    [target] = await sql<Array<{ id: string; reference: string }>>`select c.id, c.reference from cases c
      where c.status in ('needs_review', 'failed', 'parked')
        and not exists (select 1 from runs o where o.case_id = c.id and o.status in ('queued', 'running', 'retry_scheduled'))
      order by c.updated_at asc limit 1`;
    expect(target).toBeDefined();
  }, "a case that ended in a terminal fail").toPass({ timeout: 180_000, intervals: [2_000] });
  await page.goto(`/cases/${target!.id}`);
  await page.getByRole("link", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/batches\/new\?caseId=/);
  const form = page.getByRole("form", { name: "Run now" });
  await expect(form.getByRole("link", { name: target!.reference })).toBeVisible();
  await form.getByRole("switch", { name: "Dry run" }).click();
  await form.getByLabel("Ops note").fill("e2e: rehearse before the audit");
  await form.getByRole("button", { name: "Start batch" }).click();

  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  await expect(page.getByText("e2e: rehearse before the audit")).toBeVisible();
  await expect(page.getByTitle("Every step up to the final submit; nothing was filed.")).toBeVisible();
  await expect(page.getByRole("link", { name: target!.reference })).toBeVisible();
  // The run ends without a filing: rehearsed (every step up to submit passed) or refused again at a step before it.
  await expect(page.getByRole("table").getByText(/Dry run passed|Needs review|Failed|Parked/)).toBeVisible({ timeout: 120_000 });
  const batchId = page.url().split("/").at(-1)!;
  const [batch] = await sql<Array<{ dry_run: boolean; created_by: string }>>`select (parameters->>'dryRun')::boolean as dry_run, created_by from batches where id = ${batchId}`;
  expect(batch).toEqual({ dry_run: true, created_by: ADMIN.email });
});
