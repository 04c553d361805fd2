import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { E2E_DATABASE_URL } from "./ports";

// Every page, light and dark, in real Chromium with the launcher's seeded data: axe-core finds no
// serious or critical violation (WCAG 2.1 A/AA rules), and a full-page screenshot of each is saved
// under the test output (test-results/…/screens) for a person to review. Settings is checked with
// its People section (the admin sees it), and /sign-in signed out.
let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

/** The pages to check, with ids read from the seeded database once the seed has been filed. */
async function pages(): Promise<Array<{ name: string; path: string }>> {
  let failed: { case_id: string; batch_id: string | null } | undefined;
  await expect(async () => {
    [failed] = await sql<Array<{ case_id: string; batch_id: string | null }>>`
      select case_id, batch_id from runs where status in ('needs_review', 'failed', 'parked') order by finished_at desc limit 1`;
    expect(failed, "a terminal fail from the seeded sandbox").toBeDefined();
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  const [batch] = await sql<Array<{ id: string }>>`select id from batches order by created_at desc limit 1`;
  return [
    { name: "overview", path: "/" },
    { name: "cases", path: "/cases" },
    { name: "case-failed", path: `/cases/${failed!.case_id}` },
    { name: "runs", path: "/runs" },
    { name: "runs-failed", path: "/runs?status=failed,needs_review,parked" },
    { name: "triage", path: "/triage" },
    { name: "batches", path: "/batches" },
    ...(batch ? [{ name: "batch", path: `/batches/${batch.id}` }] : []),
    { name: "run-now", path: "/batches/new" },
    { name: "portals", path: "/portals" },
    { name: "settings", path: "/settings" },
  ];
}

/** A page in a context of its own with no session (the sign-in page sends a signed-in person on). */
async function signedOutPage(browser: Browser, scheme: "light" | "dark"): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, colorScheme: scheme, reducedMotion: "reduce" });
  return context.newPage();
}

async function seriousViolations(page: Page, scope?: string) {
  const builder = new AxeBuilder({ page });
  if (scope) builder.include(scope);
  const results = await builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary ?? ""}`), count: v.nodes.length }));
}

for (const scheme of ["light", "dark"] as const) {
  test(`every page has no serious or critical axe-core violation in the ${scheme} theme`, async ({ page }, testInfo) => {
    test.setTimeout(420_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
    const found: Record<string, unknown> = {};
    for (const target of await pages()) {
      const response = await page.goto(target.path);
      expect(response?.status(), target.path).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // Skeletons and live queries settle before the check.
      await page.waitForLoadState("networkidle");
      await expect(page.locator('[data-slot="skeleton"]')).toHaveCount(0, { timeout: 15_000 });
      if (target.name === "settings") await expect(page.getByRole("region", { name: "People" }).getByRole("row").nth(1)).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath("screens", `${target.name}-${scheme}.png`), fullPage: true, animations: "disabled" });
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[target.path] = violations;
    }
    const signIn = await signedOutPage(page.context().browser()!, scheme);
    try {
      await signIn.goto("/sign-in");
      await expect(signIn.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
      await signIn.screenshot({ path: testInfo.outputPath("screens", `sign-in-${scheme}.png`), fullPage: true, animations: "disabled" });
      const violations = await seriousViolations(signIn);
      if (violations.length > 0) found["/sign-in"] = violations;
    } finally {
      await signIn.context().close();
    }
    expect(found, "serious/critical axe-core violations by page").toEqual({});
  });
}

test("a selected row on /runs keeps its status and error chips readable in the light theme", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
  await expect(async () => {
    const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from runs where status = 'submitted'`;
    expect(row!.n, "a submitted run from the seeded sandbox").toBeGreaterThan(0);
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  for (const path of ["/runs?status=submitted", "/runs?status=failed,needs_review,parked"]) {
    await page.goto(path);
    const rows = page.locator("tbody tr[data-run-id]");
    await expect(rows.first()).toBeVisible();
    await page.getByRole("checkbox", { name: "Select every run on this page" }).check();
    await expect(rows.first()).toHaveAttribute("data-state", "selected");
    expect(await seriousViolations(page, "tbody"), path).toEqual([]);
  }
});

test("every control can be reached with the keyboard and shows where the focus is", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const seen = new Set<string>();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = style.outlineStyle !== "none" && style.outlineWidth !== "0px" ? true : style.boxShadow !== "none";
      return { label: `${el.tagName}:${el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 30) ?? ""}`, visible };
    });
    if (!focused) continue;
    expect(focused.visible, `focus ring on ${focused.label}`).toBe(true);
    seen.add(focused.label);
  }
  // The sidebar links and the page's own controls are all in the tab order.
  expect(seen.size).toBeGreaterThan(5);
});
