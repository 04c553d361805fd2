import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { ADMIN } from "./auth";
import { E2E_DATABASE_URL } from "./ports";

// The Portals page in real Chromium against the real launcher: a card per portal with its figures,
// Pause with a reason (a missing reason is refused beside the field), then Resume — both audited.
let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the Portals page shows a card per portal with its figures, accessible in light and dark", async ({ page }) => {
  await page.goto("/portals");
  await expect(page.getByRole("heading", { name: "Portals", level: 2 })).toBeVisible();
  for (const label of ["Arden Motors", "Borealis Machinery", "Corvid Instruments"]) {
    const card = page.getByRole("region", { name: label });
    await expect(card).toBeVisible();
    for (const figure of ["Success, 24 h", "Success, 7 days", "Attempt time, p95", "Sessions in use", "Site changed, 7 days", "Last terminal fail"]) {
      await expect(card.getByText(figure, { exact: true })).toBeVisible();
    }
  }
  await expect(page.getByText(/Success counts attempts/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await expectNoSeriousA11yViolations(page);
});

test("Pause a portal with a reason, then Resume it: the card, the database and the audit log agree", async ({ page }) => {
  await page.goto("/portals");
  const card = page.getByRole("region", { name: "Corvid Instruments" });
  await expect(card.getByTestId("portal-state")).toHaveText("Filing");

  await card.getByRole("button", { name: "Pause" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByRole("button", { name: "Pause portal" }).click();
  await expect(dialog.getByText("Say why the portal is paused")).toBeVisible();
  await expect(dialog.getByLabel("Reason")).toHaveAttribute("aria-invalid", "true");
  expect((await sql<Array<{ paused_at: Date | null }>>`select paused_at from oems where id = 'corvid'`)[0]!.paused_at).toBeNull();

  await dialog.getByLabel("Reason").fill("e2e: portal maintenance tonight");
  await dialog.getByRole("button", { name: "Pause portal" }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId("portal-state")).toHaveText("Paused");
  await expect(card.getByTestId("paused-reason")).toContainText("e2e: portal maintenance tonight");
  const [paused] = await sql<Array<{ paused_reason: string | null }>>`select paused_reason from oems where id = 'corvid'`;
  expect(paused!.paused_reason).toBe("e2e: portal maintenance tonight");
  const [pauseAudit] = await sql<Array<{ actor: string; details: { reason: string } }>>`select actor, details from audit_log where action = 'pause_portal' and oem_id = 'corvid' order by created_at desc limit 1`;
  expect(pauseAudit).toEqual({ actor: ADMIN.email, details: { reason: "e2e: portal maintenance tonight" } });

  // The overview shows the pause to everyone, with its own Resume.
  await page.goto("/");
  await expect(page.getByRole("alert").filter({ hasText: "e2e: portal maintenance tonight" })).toBeVisible();

  await page.goto("/portals");
  await card.getByRole("button", { name: "Resume portal" }).click();
  await expect(card.getByTestId("portal-state")).toHaveText("Filing");
  expect((await sql<Array<{ paused_at: Date | null }>>`select paused_at from oems where id = 'corvid'`)[0]!.paused_at).toBeNull();
  const [resumeAudit] = await sql<Array<{ n: number }>>`select count(*)::int as n from audit_log where action = 'resume_portal' and oem_id = 'corvid'`;
  expect(resumeAudit!.n).toBe(1);
});
