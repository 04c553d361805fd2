import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

// Settings → Environment (the doctor's report for the running app) and Settings → Promote
// (export the settings as a file, import one: preview the diff, then confirm), as the admin.
test("Settings shows the environment's doctor report, and a settings file is previewed as a diff and applied on Confirm", async ({ page }, testInfo) => {
  await page.goto("/settings");
  const environment = page.getByRole("region", { name: "Environment" });
  for (const label of ["Database reachable", "Database migrated", "CRM reachable with its token", "Browser for the portals"]) {
    await expect(environment.getByRole("row").filter({ hasText: label })).toContainText("OK");
  }
  await expect(environment).toContainText("npm run doctor");

  const promote = page.getByRole("region", { name: "Promote" });
  const [download] = await Promise.all([page.waitForEvent("download"), promote.getByRole("link", { name: "Export settings" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^nightshift-settings-dev-\d{4}-\d\d-\d\d\.json$/);
  const original = JSON.parse(readFileSync(await download.path(), "utf8")) as { schedule: { deadline: string }; portalLimits: { byPortal: Record<string, number> } };
  const deadline = original.schedule.deadline === "06:45" ? "06:40" : "06:45";
  const changed = { ...original, schedule: { ...original.schedule, deadline }, portalLimits: { ...original.portalLimits, byPortal: { ...original.portalLimits.byPortal, corvid: 1 } } };
  mkdirSync(testInfo.outputDir, { recursive: true });
  const changedFile = path.join(testInfo.outputDir, "changed.json");
  const originalFile = path.join(testInfo.outputDir, "original.json");
  writeFileSync(changedFile, JSON.stringify(changed));
  writeFileSync(originalFile, JSON.stringify(original));

  // A file that is not JSON is refused with a sentence.
  const junk = path.join(testInfo.outputDir, "junk.json");
  writeFileSync(junk, "not json");
  await page.getByLabel("Settings file to import").setInputFiles(junk);
  await expect(page.getByText("junk.json is not a JSON file")).toBeVisible();

  await page.getByLabel("Settings file to import").setInputFiles(changedFile);
  const preview = page.getByTestId("import-preview");
  await expect(preview).toContainText("2 changes from dev");
  await expect(preview).toContainText(`Deadline: ${original.schedule.deadline} → ${deadline}.`);
  await expect(preview).toContainText("Sessions on Corvid Instruments: the default → 1.");
  // Nothing changed yet.
  await expect(page.getByLabel("Done by")).toHaveValue(original.schedule.deadline);

  await preview.getByRole("button", { name: "Confirm import" }).click();
  await expect(page.getByText("Imported 2 changes from dev.")).toBeVisible();
  await expect(page.getByLabel("Done by")).toHaveValue(deadline);

  // Put the original settings back for the specs after this one.
  await page.getByLabel("Settings file to import").setInputFiles(originalFile);
  await preview.getByRole("button", { name: "Confirm import" }).click();
  await expect(page.getByLabel("Done by")).toHaveValue(original.schedule.deadline);
});
