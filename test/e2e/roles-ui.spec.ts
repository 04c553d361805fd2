import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";
import { ADMIN } from "./auth";
import { E2E_DATABASE_URL } from "./ports";

// Roles in the dashboard, in real Chromium against the real launcher: the admin (the default
// storage state) adds an ops and a viewer person in Settings → People; each then signs in through
// the /sign-in form in a fresh browser context. A viewer sees every control disabled with the
// reason and no People section, and the server refuses their requests anyway; ops may act but not
// edit the schedule; a role changed in the People UI applies on the person's next request.
let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

const VIEWER_REASON = "Needs the ops role: viewers can look but not act.";
const ADMIN_REASON = "Needs the admin role.";
const suffix = randomUUID().slice(0, 8);
/** A browser names its origin on every change (the same-origin rule refuses one that does not); so do these API calls. */
const fromPage = (page: Page) => ({ origin: new URL(page.url()).origin });
const OPS = { name: "Otto Ops", email: `otto-${suffix}@nightshift.test`, password: "otto's long password" };
const VIEWER = { name: "Vera Viewer", email: `vera-${suffix}@nightshift.test`, password: "vera's long password" };

/** A fresh browser context (no admin cookies) signed in through the /sign-in form. */
async function signIn(browser: Browser, person: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Where everything stands" })).toBeVisible();
  return { context, page };
}

function personRow(page: Page, email: string): Locator {
  return page.locator(`tr[data-person-email="${email}"]`);
}

async function expectDisabledWithReason(control: Locator, reason: string) {
  await expect(control).toBeVisible();
  await expect(control).toBeDisabled();
  await expect(control).toHaveAccessibleDescription(reason);
}

async function count(table: "batches" | "users"): Promise<number> {
  const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from ${sql(table)}`;
  return row!.n;
}

test.describe.configure({ mode: "serial" });

test("the admin adds people in Settings → People; a taken email and demoting the last admin are refused beside the field", async ({ page }) => {
  await page.goto("/settings");
  const people = page.getByRole("region", { name: "People" });
  await expect(people).toBeVisible();
  await expect(personRow(page, ADMIN.email)).toContainText(ADMIN.name);
  await expect(personRow(page, ADMIN.email).getByRole("button", { name: "Disable" })).toHaveAccessibleDescription("You cannot disable yourself.");

  // Add Otto (ops) through the form; a short password is refused before anything is sent.
  await people.getByRole("button", { name: "Add person" }).click();
  const sheet = page.getByRole("dialog", { name: "Add a person" });
  await sheet.getByLabel("Name").fill(OPS.name);
  await sheet.getByLabel("Email").fill(OPS.email);
  await sheet.getByLabel("Role").selectOption("ops");
  await sheet.getByLabel("Initial password").fill("too short");
  await sheet.getByRole("button", { name: "Add person" }).click();
  await expect(sheet.getByText("At least 12 characters.")).toBeVisible();
  await sheet.getByLabel("Initial password").fill(OPS.password);
  await sheet.getByRole("button", { name: "Add person" }).click();
  await expect(sheet).toBeHidden();
  await expect(personRow(page, OPS.email).getByLabel(`Role of ${OPS.name}`)).toHaveValue("ops");

  // The same email again: the server's sentence beside the Email field, and still one Otto.
  await people.getByRole("button", { name: "Add person" }).click();
  await sheet.getByLabel("Name").fill("Otto Again");
  await sheet.getByLabel("Email").fill(OPS.email);
  await sheet.getByLabel("Initial password").fill(OPS.password);
  await sheet.getByRole("button", { name: "Add person" }).click();
  await expect(sheet.getByLabel("Email")).toHaveAccessibleDescription(`${OPS.email} already has an account.`);
  await page.keyboard.press("Escape");
  const [otto] = await sql<Array<{ n: number }>>`select count(*)::int as n from users where email = ${OPS.email}`;
  expect(otto!.n).toBe(1);

  // Vera (viewer) through the API the form uses.
  const created = await page.request.post("/api/users", { headers: fromPage(page), data: { ...VIEWER, role: "viewer" } });
  expect(created.status()).toBe(201);

  // Ada is the only admin: demoting her is refused, in words, beside her role, and she stays admin.
  await page.reload();
  const adaRole = personRow(page, ADMIN.email).getByLabel(`Role of ${ADMIN.name}`);
  await adaRole.selectOption("viewer");
  await expect(personRow(page, ADMIN.email).getByRole("alert")).toHaveText("This is the last admin: make someone else an admin first.");
  await expect(adaRole).toHaveValue("admin");
  const [ada] = await sql<Array<{ role: string }>>`select role from users where email = ${ADMIN.email}`;
  expect(ada!.role).toBe("admin");
});

test("a viewer sees every control disabled with the reason and no People section, and the server refuses their changes", async ({ browser }) => {
  const { context, page } = await signIn(browser, VIEWER);
  try {
    await expect(page.getByRole("button", { name: /Vera Viewer, viewer: account menu/ })).toBeVisible();
    await expectDisabledWithReason(page.getByRole("button", { name: "Run now", exact: true }), VIEWER_REASON);
    // The reason is also a tooltip, for the pointer.
    await page.locator('[data-slot="permission-gate"] > span[tabindex="0"]').first().hover();
    await expect(page.getByRole("tooltip")).toHaveText(VIEWER_REASON);

    await page.goto("/batches");
    await expectDisabledWithReason(page.getByRole("button", { name: "Run now", exact: true }), VIEWER_REASON);

    await page.goto("/runs");
    await expect(page.getByRole("table")).toBeVisible();
    await expect(page.getByRole("checkbox")).toHaveCount(0);

    await page.goto("/portals");
    const corvid = page.getByRole("region", { name: "Corvid Instruments" });
    await expectDisabledWithReason(corvid.getByRole("button", { name: /^(Pause|Resume portal)$/ }), VIEWER_REASON);

    // Opening the Run now form by its address: shown, but switched off.
    await page.goto("/batches/new");
    await expect(page.getByRole("group", { name: "Run now", exact: true })).toHaveAttribute("disabled", "");
    await expect(page.getByRole("button", { name: "Start batch" })).toBeDisabled();

    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Settings", level: 2 })).toBeVisible();
    await expect(page.getByRole("group", { name: "Nightly schedule", exact: true })).toHaveAttribute("disabled", "");
    await expect(page.getByLabel("Starts at")).toBeDisabled();
    await expect(page.getByLabel("Starts at")).not.toHaveValue("");
    await expect(page.getByRole("group", { name: "Nightly schedule", exact: true }).getByRole("note")).toContainText(ADMIN_REASON);
    await expect(page.getByRole("group", { name: "Recipe", exact: true })).toHaveAttribute("disabled", "");
    await expect(page.getByRole("group", { name: "Recipe", exact: true }).getByRole("note")).toContainText(VIEWER_REASON);
    await expect(page.getByRole("button", { name: "Save as new version" })).toBeDisabled();
    await expect(page.getByRole("region", { name: "People" })).toHaveCount(0);

    // The server refuses anyway: a viewer replaying an ops request, and an admin one. Nothing changes.
    const [batchesBefore, usersBefore] = [await count("batches"), await count("users")];
    const start = await page.request.post("/api/batches", { headers: fromPage(page), data: {} });
    expect(start.status()).toBe(403);
    expect(((await start.json()) as { error: { message: string } }).error.message).toBe("This needs the ops role.");
    const addSelf = await page.request.post("/api/users", { headers: fromPage(page), data: { name: "Eve", email: `eve-${suffix}@nightshift.test`, role: "admin", password: "a long enough password" } });
    expect(addSelf.status()).toBe(403);
    expect(((await addSelf.json()) as { error: { message: string } }).error.message).toBe("This needs the admin role.");
    expect((await page.request.get("/api/users")).status()).toBe(403);
    expect([await count("batches"), await count("users")]).toEqual([batchesBefore, usersBefore]);
  } finally {
    await context.close();
  }
});

test("ops can press Run now and edit the recipe, but the schedule form is disabled for them", async ({ browser }) => {
  const { context, page } = await signIn(browser, OPS);
  try {
    const runNow = page.getByRole("link", { name: "Run now", exact: true });
    await expect(runNow).toBeVisible();
    await runNow.click();
    await expect(page).toHaveURL(/\/batches\/new$/);
    await expect(page.getByRole("group", { name: "Run now", exact: true })).not.toHaveAttribute("disabled");
    await expect(page.getByRole("button", { name: "Start batch" })).toBeEnabled();

    await page.goto("/settings");
    await expect(page.getByRole("group", { name: "Nightly schedule", exact: true })).toHaveAttribute("disabled", "");
    await expect(page.getByRole("group", { name: "Nightly schedule", exact: true }).getByRole("note")).toContainText(ADMIN_REASON);
    await expect(page.getByRole("button", { name: "Save schedule" })).toBeDisabled();
    await expect(page.getByRole("group", { name: "Recipe", exact: true })).not.toHaveAttribute("disabled");
    await expect(page.getByRole("region", { name: "People" })).toHaveCount(0);

    await page.goto("/runs");
    await expect(page.getByRole("checkbox", { name: "Select every run on this page" })).toBeVisible();
  } finally {
    await context.close();
  }
});

test("a role changed or a person disabled in the People UI applies on their next request", async ({ page, browser }) => {
  const vera = await signIn(browser, VIEWER);
  const otto = await signIn(browser, OPS);
  try {
    await expect(vera.page.getByRole("button", { name: "Run now", exact: true })).toBeDisabled();

    await page.goto("/settings");
    // Vera becomes ops; Otto becomes a viewer.
    await personRow(page, VIEWER.email).getByLabel(`Role of ${VIEWER.name}`).selectOption("ops");
    await expect(page.getByText(`${VIEWER.name} now has the ops role.`)).toBeVisible();
    await personRow(page, OPS.email).getByLabel(`Role of ${OPS.name}`).selectOption("viewer");
    await expect(page.getByText(`${OPS.name} now has the viewer role.`)).toBeVisible();
    const roles = await sql<Array<{ email: string; role: string }>>`select email, role from users where email in (${VIEWER.email}, ${OPS.email}) order by email`;
    expect(roles).toEqual([
      { email: OPS.email, role: "viewer" },
      { email: VIEWER.email, role: "ops" },
    ]);

    // Their next request, same sessions, no new sign-in.
    await vera.page.reload();
    await expect(vera.page.getByRole("link", { name: "Run now", exact: true })).toBeVisible();
    await expect(vera.page.getByRole("button", { name: /Vera Viewer, ops: account menu/ })).toBeVisible();
    const refused = await otto.page.request.post("/api/batches", { headers: fromPage(otto.page), data: {} });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("This needs the ops role.");
    await otto.page.reload();
    await expectDisabledWithReason(otto.page.getByRole("button", { name: "Run now", exact: true }), VIEWER_REASON);

    // Disabled: signed out at once; enabled again: they can sign in.
    await personRow(page, OPS.email).getByRole("button", { name: `Disable ${OPS.name}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: `Disable ${OPS.name}` }).click();
    await expect(personRow(page, OPS.email)).toContainText("Disabled");
    await otto.page.reload();
    await expect(otto.page).toHaveURL(/\/sign-in/);
    await personRow(page, OPS.email).getByRole("button", { name: "Enable" }).click();
    await expect(personRow(page, OPS.email)).toContainText("Active");
  } finally {
    await vera.context.close();
    await otto.context.close();
  }
});

test("People shows how each person signs in and when they were last seen", async ({ page }) => {
  await page.goto("/settings");
  await expect(personRow(page, ADMIN.email)).toContainText("Password", { timeout: 5_000 });
  await expect(personRow(page, ADMIN.email)).not.toContainText("Never", { timeout: 5_000 });
});
