import { expect, test } from "@playwright/test";

test("the health endpoint reports the database up and a live worker", async ({ request }) => {
  await expect(async () => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { status: string; database: { status: string }; workers: { live: number }; queue: { depth: number } };
    expect(body.database.status).toBe("up");
    expect(body.workers.live).toBeGreaterThanOrEqual(1);
    expect(body.status).toBe("ok");
    expect(typeof body.queue.depth).toBe("number");
  }).toPass({ timeout: 30_000 });
});

test("the overview renders inside the app shell with the environment badge", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("navigation").getByRole("link", { name: /Overview/ })).toBeVisible();
  for (const section of ["Cases"]) {
    await expect(page.getByRole("navigation").getByRole("link", { name: new RegExp(section) })).toBeVisible();
  }
  await expect(page.locator('[data-slot="env-badge"]').first()).toHaveAttribute("data-env", "dev");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Overview/);
  await expect(page.getByRole("heading", { name: "Where everything stands" })).toBeVisible();
  // Rendered from the database: the worker that the launcher started shows up in the Workers card.
  await expect(page.getByText("Workers", { exact: true })).toBeVisible();
});
