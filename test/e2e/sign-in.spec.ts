import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { OIDC_TEST_PASSWORD } from "../support/oidc-test-accounts";
import { ADMIN, E2E_OIDC_ISSUER, E2E_OIDC_LABEL, USED_SETUP_LINK } from "./auth";

// Signing in, in Chromium, against the real launcher and a real OpenID Connect provider
// (panva's oidc-provider, playwright.config.ts): the role comes from the provider's groups claim
// (OIDC_ROLE_GROUPS: ns-admins → admin, ns-ops → ops, ns-viewers → viewer) at every sign-in.
// Every test starts signed out.
test.use({ storageState: { cookies: [], origins: [] } });

const OVERVIEW = "Where everything stands";

// better-auth limits sign-in attempts (its rule for /sign-in/*: 3 in a row less than 10 seconds
// apart from one address, then nothing until 10 seconds after the last), and the whole suite
// signs in from 127.0.0.1: every press of a sign-in button keeps within that rule, as a person
// retrying would. The bookkeeping mirrors better-auth's (lastRequest moves at each request).
const limiter = { count: 0, last: 0 };
async function paceSignIn(page: Page) {
  const gap = 11_000;
  if (Date.now() - limiter.last >= gap) limiter.count = 0;
  else if (limiter.count >= 3) {
    await page.waitForTimeout(gap - (Date.now() - limiter.last));
    limiter.count = 0;
  }
  limiter.count += 1;
  limiter.last = Date.now();
}

/** Presses the password form's "Sign in" (paced, see above). */
async function pressSignIn(page: Page) {
  await paceSignIn(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test.afterEach(async ({ request }) => {
  // The provider's accounts back to their original groups, whatever a test changed.
  expect((await request.post(`${E2E_OIDC_ISSUER}/control/reset`)).status()).toBe(204);
});

/** Presses the SSO button and signs in at the provider (its login and consent pages, when it asks). */
async function signInWithSso(page: Page, email: string, next = "/") {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await paceSignIn(page);
  await page.getByRole("button", { name: `Sign in with ${E2E_OIDC_LABEL}` }).click();
  await page.waitForURL((url) => url.origin === E2E_OIDC_ISSUER || !url.pathname.startsWith("/sign-in"));
  if (new URL(page.url()).origin === E2E_OIDC_ISSUER) {
    await expect(page.getByRole("heading", { name: "Sign in to Acme" })).toBeVisible();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(OIDC_TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in to Acme" }).click();
    // Then the consent page, the first time this browser signs in there.
    const consent = page.getByRole("heading", { name: "Allow Nightshift?" });
    await expect.poll(async () => new URL(page.url()).origin !== E2E_OIDC_ISSUER || (await consent.isVisible()), { timeout: 30_000 }).toBe(true);
    if (new URL(page.url()).origin === E2E_OIDC_ISSUER) await page.getByRole("button", { name: "Allow" }).click();
  }
  await page.waitForURL((url) => url.origin !== E2E_OIDC_ISSUER);
}

/** What the server lets this browser do: an ops action from the page itself (its cookie, its Origin). */
async function resumeUnknownPortal(page: Page) {
  return page.evaluate(async () => {
    const response = await fetch("/api/portals/nowhere/resume", { method: "POST" });
    return { status: response.status, message: ((await response.json()) as { error?: { message?: string } }).error?.message };
  });
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/);
}

test("SSO: a person in the ns-ops group signs in through the identity provider as ops, with ops powers", async ({ page }) => {
  await signInWithSso(page, "olga.ops@acme.test");
  await expect(page.getByRole("heading", { name: OVERVIEW })).toBeVisible();
  await expect(page.getByRole("button", { name: /Olga Ops, ops: account menu/ })).toBeVisible();
  // An ops action gets past the role check (the portal is unknown: 404, not 403).
  expect(await resumeUnknownPortal(page)).toEqual({ status: 404, message: "No such portal." });
});

test("SSO: a viewer is refused ops actions; after the identity provider moves them to ns-ops, their next sign-in is ops", async ({ page, request }) => {
  await signInWithSso(page, "victor.viewer@acme.test");
  await expect(page.getByRole("button", { name: /Victor Viewer, viewer: account menu/ })).toBeVisible();
  expect(await resumeUnknownPortal(page)).toEqual({ status: 403, message: "This needs the ops role." });
  await signOut(page);

  const moved = await request.put(`${E2E_OIDC_ISSUER}/control/accounts/${encodeURIComponent("victor.viewer@acme.test")}/groups`, { data: { groups: ["everyone", "ns-ops"] } });
  expect(moved.status()).toBe(200);
  // Still signed in at the provider: the round trip needs no password, and brings the new groups.
  await signInWithSso(page, "victor.viewer@acme.test");
  await expect(page.getByRole("heading", { name: OVERVIEW })).toBeVisible();
  await expect(page.getByRole("button", { name: /Victor Viewer, ops: account menu/ })).toBeVisible();
  expect(await resumeUnknownPortal(page)).toEqual({ status: 404, message: "No such portal." });
});

test("SSO: a person in no Nightshift group lands on the no-access page, and is refused on the server too", async ({ page }) => {
  await signInWithSso(page, "nora.nobody@acme.test", "/runs");
  await expect(page).toHaveURL(/\/no-access$/);
  await expect(page.getByText("none of your groups gives you a Nightshift role yet")).toBeVisible();
  await expect(page.getByText("Signed in as nora.nobody@acme.test")).toBeVisible();
  const refused = await page.evaluate(async () => (await fetch("/api/portals/nowhere/resume", { method: "POST" })).status);
  expect(refused).toBe(403);
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/no-access$/);
});

test("a local account: a wrong password is refused in words, the right one opens the overview", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password at all");
  await pressSignIn(page);
  // (Next.js keeps an empty role=alert route announcer on every page: the form's alert is the one with words.)
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("That email and password do not match an account.");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("Password").fill(ADMIN.password);
  await pressSignIn(page);
  await expect(page.getByRole("heading", { name: OVERVIEW })).toBeVisible();
  await expect(page.getByRole("button", { name: /Ada Admin, admin: account menu/ })).toBeVisible();
});

test("signing out ends the session: protected pages send you to sign in and back, the API answers 401", async ({ page }) => {
  await page.goto("/sign-in?next=%2Fruns");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await pressSignIn(page);
  await expect(page).toHaveURL(/\/runs$/);
  await signOut(page);

  for (const path of ["/", "/runs", "/triage", "/portals", "/settings"]) {
    await page.goto(path);
    const url = new URL(page.url());
    expect(url.pathname, path).toBe("/sign-in");
    expect(url.searchParams.get("next"), path).toBe(path);
  }
  expect(await resumeUnknownPortal(page)).toEqual({ status: 401, message: "Sign in to do this." });
  // Signing in again from there comes back to the page asked for.
  await page.goto("/sign-in?next=%2Ftriage");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await pressSignIn(page);
  await expect(page).toHaveURL(/\/triage$/);
});

test("the first-admin link, used by the setup project, stays spent", async ({ page }) => {
  const link = readFileSync(USED_SETUP_LINK, "utf8").trim();
  await page.goto(link);
  await expect(page.getByText("This link has already been used")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create admin account" })).toHaveCount(0);
});
