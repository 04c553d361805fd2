import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "./auth";

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

test("a SIGKILLed embedded PostgreSQL is restarted by the launcher and the app recovers with its data", async ({ page, request }) => {
  test.skip(Boolean(process.env.E2E_DATABASE_URL), "the launcher only supervises its own embedded PostgreSQL");
  // As root the cluster may live elsewhere; the launcher leaves a pointer (lib/db/embedded-postgres.ts).
  const requested = path.join(E2E_DATA_DIR, "pg");
  const dataDir = existsSync(`${requested}.location`) ? readFileSync(`${requested}.location`, "utf8").trim() : requested;
  const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const killed = postmasterPid();
  process.kill(killed, "SIGKILL");

  // Back on the same data: health is ok again (database up, the worker alive) under a new postmaster…
  await expect(async () => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { status: string; database: { status: string }; workers: { live: number } };
    expect(body.database.status).toBe("up");
    expect(body.workers.live).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 60_000, intervals: [500, 1000] });
  expect(postmasterPid()).not.toBe(killed);
  // …and the signed-in session (a row written before the crash) still opens the dashboard.
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Overview/);
});
