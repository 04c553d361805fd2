import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";
import { E2E_DATABASE_URL } from "./ports";

// Settings → Alerts and digest in real Chromium against the real launcher (its worker sends): an
// admin adds a webhook, copies its secret once, sends a test that a local receiver verifies with
// that secret, sees it delivered; a bad address is refused beside the field; disable, then delete.
let sql: postgres.Sql;
let receiver: WebhookReceiver;
test.beforeAll(async () => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
  await sql?.end({ timeout: 5 });
});

test("an admin adds a webhook, sends a signed test message that arrives, then disables and deletes it", async ({ page }) => {
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Alerts and digest" });
  await expect(section).toBeVisible();

  // A bad email address is refused with a sentence, and nothing is added.
  await section.getByRole("button", { name: "Add destination" }).click();
  const form = page.getByRole("form", { name: "Add an alert destination" });
  await form.getByLabel("Email address").fill("not an address");
  await form.getByRole("button", { name: "Add destination" }).click();
  await expect(form.getByText("Enter an email address, e.g. ops@example.com.")).toBeVisible();
  expect((await sql`select count(*)::int as n from alert_destinations`)[0]?.n).toBe(0);

  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("Webhook URL").fill(receiver.url);
  await form.getByLabel("Label (optional)").fill("Ops chat");
  await form.getByRole("button", { name: "Add destination" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_/);
  receiver.setSecret(secret);
  await page.getByRole("button", { name: "Done" }).click();

  const row = section.getByRole("row", { name: /Ops chat/ });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Send a test message to Ops chat" }).click();
  // The destination also receives any open alert of this world: look for the test message.
  await expect.poll(() => receiver.requests.filter((r) => r.status === 204 && (r.payload as { type?: string } | null)?.type === "test").length, { timeout: 30_000 }).toBe(1);
  const delivered = receiver.requests.find((r) => (r.payload as { type?: string } | null)?.type === "test");
  expect(delivered!.verified).toBe(true);
  expect(delivered!.payload).toMatchObject({ type: "test", data: { requestedBy: expect.any(String) } });
  await expect(section.getByRole("table", { name: "Recent deliveries" }).getByText("Delivered").first()).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: test.info().outputPath("alerts-settings.png"), fullPage: true });

  const results = await new AxeBuilder({ page }).include('[aria-labelledby="alerts-title"]').withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await row.getByRole("switch", { name: "Ops chat enabled" }).click();
  await expect.poll(async () => (await sql<{ enabled: boolean }[]>`select enabled from alert_destinations`)[0]?.enabled).toBe(false);
  await row.getByRole("button", { name: "Delete Ops chat" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  const audit = await sql`select action from audit_log where action like '%alert_destination' order by created_at`;
  expect(audit.map((a) => a.action as string)).toEqual(["add_alert_destination", "test_alert_destination", "update_alert_destination", "delete_alert_destination"]);
});
