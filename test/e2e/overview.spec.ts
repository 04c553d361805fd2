import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { E2E_DATABASE_URL } from "./ports";

// The executive overview in real Chromium against the real launcher, with 14 nights of history
// seeded into its database: last night in words, the streak, tonight's schedule, the trend chart
// (recharts) and a sparkline per OEM; axe finds nothing serious in light or dark.
const NIGHTS = 14;
let sql: postgres.Sql;

test.beforeAll(async () => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
  // The default schedule (an earlier spec may have moved it to another zone); counted from now, so no past slot starts a batch.
  await sql`
    insert into schedule_settings (id, enabled, time, time_zone, deadline, updated_by, updated_at) values ('nightly', true, '01:30', 'America/Chicago', '07:00', 'e2e', now())
    on conflict (id) do update set enabled = true, time = '01:30', time_zone = 'America/Chicago', deadline = '07:00', updated_by = 'e2e', updated_at = now()`;
  // Idempotent (a retried worker runs this again). The latest slot's local night (1:30 AM Chicago), then one nightly batch per night before it;
  // night i: 40 cases per OEM, (i % 3) portal rejections and one parked case on Borealis; night 4 missed its deadline.
  await sql`
    with nights as (
      select i, to_char(d, 'YYYY-MM-DD') as night_key, (d + time '01:30') at time zone 'America/Chicago' as slot
      from generate_series(0, ${NIGHTS - 1}::int) i,
      lateral (select (((now() at time zone 'America/Chicago') - interval '1 hour 30 minutes')::date - i) as d) x
    )
    insert into batches (trigger, night_key, status, met_sla, scheduled_for, deadline, started_at, finished_at, created_at, created_by, case_count)
    select 'cron', night_key, 'finished', i <> 4, slot, slot + interval '5 hours 30 minutes', slot, slot + interval '4 hours 12 minutes', slot, 'schedule', 120 from nights
    on conflict do nothing`;
  await sql`
    with b as (select id, night_key, finished_at, (row_number() over (order by night_key desc) - 1)::int as i from batches where night_key is not null and created_by = 'schedule'),
    slots as (
      select b.id as batch_id, b.finished_at, b.night_key, o.oem, g,
        case when o.oem = 'borealis' and g = 1 then 'parked' when o.oem = 'arden' and g <= (b.i % 3) then 'needs_review' else 'submitted' end as status
      from b cross join (values ('arden'), ('borealis'), ('corvid')) o(oem) cross join generate_series(1, 40) g
    ),
    c as (
      insert into cases (crm_id, reference, oem_id, kind, crm_status, status)
      select 'E2E-' || night_key || '-' || oem || '-' || lpad(g::text, 3, '0'), 'NS-E2E-' || night_key || '-' || oem || '-' || lpad(g::text, 3, '0'), oem, 'warranty_claim', 'new', status from slots
      on conflict (crm_id) do nothing
      returning id, crm_id
    )
    insert into runs (case_id, batch_id, status, finished_at)
    select c.id, s.batch_id, s.status, s.finished_at from c join slots s on c.crm_id = 'E2E-' || s.night_key || '-' || s.oem || '-' || lpad(s.g::text, 3, '0')`;
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the overview tells last night in words, the streak, tonight, the trend and each OEM's nights", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("batch-card-label").first()).toHaveText(/^Last night · \w{3} \d{1,2} \w{3}$/);
  // 4 h 12 min after the 1:30 AM slot, in the schedule's zone.
  await expect(page.getByTestId("night-title")).toHaveText(/Done by 5:42 AM$/);
  await expect(page.getByTestId("night-details")).toHaveText(/120 of 120 submitted|119 of 120 submitted|118 of 120 submitted/);

  const streak = page.getByTestId("streak-card");
  await expect(streak.getByTestId("streak")).toHaveText(/^4\s*nights in a row$/);
  await expect(streak.getByRole("listitem")).toHaveCount(14);

  await expect(page.getByTestId("tonight-sentence")).toHaveText(/at 1:30 AM Central · done by 7:00 AM|Tonight's batch is running/);

  const trend = page.getByTestId("trend-card");
  await expect(trend.getByText("Submitted vs terminal fails")).toBeVisible();
  await expect(trend.locator(".recharts-bar-rectangle").first()).toBeVisible();
  expect(await trend.locator(".recharts-bar-rectangle").count()).toBeGreaterThanOrEqual(NIGHTS);
  await expect(trend.getByRole("table", { name: "Submitted and terminal fails per night" })).toBeAttached();

  await expect(page.getByTestId("oem-sparkline")).toHaveCount(3);
  await expect(page.locator('[data-slot="sparkline"] path').first()).toBeAttached();
  await expect(page.getByRole("img", { name: /^Arden Motors, success per night: \d+\.\d% on / })).toBeAttached();
});

test("the overview has no serious accessibility violation in light or dark", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("trend-card")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await expectNoSeriousA11yViolations(page);
});
