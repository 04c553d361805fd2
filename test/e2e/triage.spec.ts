import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { ADMIN } from "./auth";
import { E2E_DATABASE_URL } from "./ports";

// Triage in real Chromium against the real launcher: the seeded sandbox has cases the portals
// refuse, so within minutes of the startup batch there is a group to act on. Ops acknowledge it
// with a note, move it to another lane by overriding its class (its group id stays), and retry it;
// the database shows the acknowledgement, the classes and one audited bulk action.
let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

interface TriageJson {
  groups: Array<{ groupId: string; count: number; lane: string }>;
}

async function waitForGroup(page: Page): Promise<string> {
  let groupId: string | undefined;
  await expect(async () => {
    const response = await page.request.get("/api/triage");
    expect(response.status()).toBe(200);
    groupId = ((await response.json()) as TriageJson).groups[0]?.groupId;
    expect(groupId).toBeDefined();
  }, "a terminal fail from the seeded night").toPass({ timeout: 200_000, intervals: [3_000] });
  return groupId!;
}

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the triage page groups the night's terminal fails, and bad group ids are refused over HTTP", async ({ page }) => {
  test.setTimeout(300_000);
  const groupId = await waitForGroup(page);
  await page.goto("/triage");
  await expect(page.getByRole("heading", { level: 2, name: "Triage" })).toBeVisible();
  const card = page.locator(`[data-group-id="${groupId}"]`);
  await expect(card).toBeVisible();
  await expect(card.getByRole("heading", { level: 4 })).not.toBeEmpty();
  await expect(card.getByRole("link", { name: "Runs in this group" })).toHaveAttribute("href", `/runs?fingerprint=${groupId}`);
  await expect(card.getByRole("link", { name: /^NS-/ }).first()).toHaveAttribute("href", /^\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("navigation", { name: "Lanes" }).getByRole("link")).toHaveCount(4);
  await expectNoSeriousA11yViolations(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(card).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const sameOrigin = { origin: new URL(page.url()).origin };
  const bad = await page.request.post("/api/triage/groups/not-a-group/retry", { headers: sameOrigin });
  expect(bad.status()).toBe(400);
  const unknown = await page.request.post("/api/triage/groups/0000000000000000/class", { headers: sameOrigin, data: { errorClass: "site_flake", reason: "Portal outage" } });
  expect(unknown.status()).toBe(404);
  const crossSite = await page.request.post(`/api/triage/groups/${groupId}/retry`, { headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
});

test("ops acknowledge a group with a note, move it to another lane, and retry it from the page", async ({ page }) => {
  test.setTimeout(300_000);
  const groupId = await waitForGroup(page);
  await page.goto("/triage");
  const card = page.locator(`[data-group-id="${groupId}"]`);
  const dialog = page.getByRole("alertdialog");

  // Acknowledge: an empty note is refused beside the field; a note collapses the card.
  await card.getByRole("button", { name: "Acknowledge" }).click();
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog.getByText(/^Write a note/)).toBeVisible();
  await dialog.getByLabel("Note").fill("e2e: ops is checking the data with the dealer");
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toHaveAttribute("data-state", /acknowledged|new_since/);
  await expect(card).toContainText("e2e: ops is checking the data with the dealer");
  const [ack] = await sql<Array<{ note: string; actor: string }>>`select note, actor from triage_acknowledgements where fingerprint = ${groupId}`;
  expect(ack).toEqual({ note: "e2e: ops is checking the data with the dealer", actor: ADMIN.email });

  // Override the class: the group moves to the engineering lane and keeps its id.
  const expand = card.getByRole("button", { name: "Show" });
  if (await expand.isVisible()) await expand.click();
  await card.getByRole("button", { name: "Change class" }).click();
  await dialog.getByLabel("New class").selectOption("site_changed");
  await dialog.getByLabel(/^Why/).fill("e2e: the portal's form changed, not the data");
  await dialog.getByRole("button", { name: "Change class" }).click();
  await expect(dialog).toBeHidden();
  const engineering = page.getByRole("region", { name: /^Engineering/ });
  await expect(engineering.locator(`[data-group-id="${groupId}"]`)).toBeVisible();
  const classes = await sql<Array<{ error_class: string; n: number }>>`select error_class, count(*)::int as n from runs r where r.fingerprint = ${groupId}
    and r.status in ('needs_review', 'parked', 'failed') and not exists (select 1 from runs n where n.case_id = r.case_id and (n.created_at, n.id) > (r.created_at, r.id)) group by error_class`;
  expect(classes.map((c) => c.error_class)).toEqual(["site_changed"]);

  // Retry the group: one bulk action, an audit row per re-queued run.
  const moved = engineering.locator(`[data-group-id="${groupId}"]`);
  const show = moved.getByRole("button", { name: "Show" });
  if (await show.isVisible()) await show.click();
  await moved.getByRole("button", { name: "Retry group" }).click();
  await dialog.getByRole("button", { name: /^Retry \d+ cases?$/ }).click();
  await expect(page.getByText(/queued again/)).toBeVisible();
  const [bulk] = await sql<Array<{ id: string; results: { retried: number; skipped: number }; actor: string }>>`select id, results, actor from bulk_actions where action = 'group_retry' and selection->>'fingerprint' = ${groupId}`;
  expect(bulk?.actor).toBe(ADMIN.email);
  expect(bulk!.results.retried).toBeGreaterThan(0);
  const audit = await sql<Array<{ n: number }>>`select count(*)::int as n from audit_log where bulk_action_id = ${bulk!.id} and action = 'retry_run'`;
  expect(audit[0]!.n).toBe(bulk!.results.retried);
});
