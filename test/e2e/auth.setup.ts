import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { ADMIN, E2E_DATA_DIR, STORAGE_STATE, USED_SETUP_LINK } from "./auth";

// The way a newcomer gets in: the launcher's one-time link creates the first admin, in Chromium.
// Every other spec then runs signed in as that admin (playwright.config.ts: storageState).
setup("the first-admin link creates an admin, signs them in, and works once only", async ({ page }) => {
  const link = readFileSync(path.join(E2E_DATA_DIR, "first-admin-url.txt"), "utf8").trim();
  expect(link).toMatch(/\/setup\?token=[\w-]{40,}$/);
  // Kept for sign-in.spec.ts, which checks the link stays spent (the launcher removes its copy once an admin exists).
  writeFileSync(USED_SETUP_LINK, link);
  const anonymous = await page.goto("/runs");
  expect(new URL(anonymous!.url()).pathname).toBe("/sign-in");

  await page.goto(link);
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByRole("heading", { name: "Where everything stands" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Ada Admin, admin: account menu/ })).toBeVisible();
  await page.context().storageState({ path: STORAGE_STATE });

  // The same link again: refused, in words, and no second account.
  const again = await page.context().browser()!.newPage();
  await again.goto(link);
  await expect(again.getByText("This link has already been used")).toBeVisible();
  const replay = await again.request.post("/api/setup", { data: { token: new URL(link).searchParams.get("token"), name: "Eve", email: "eve@example.com", password: "long enough password" } });
  expect(replay.status()).toBe(409);
  await again.close();
});
