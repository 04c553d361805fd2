import path from "node:path";

/** Where the e2e launcher keeps its state (playwright.config.ts), e.g. the first-admin link. */
export const E2E_DATA_DIR = ".nightshift/e2e";
/** The signed-in admin's cookies, written by auth.setup.ts and used by every other spec. */
export const STORAGE_STATE = path.join(E2E_DATA_DIR, "admin-state.json");
/** The first-admin link, kept by auth.setup.ts after using it (the launcher's copy goes once an admin exists). */
export const USED_SETUP_LINK = path.join(E2E_DATA_DIR, "used-first-admin-link.txt");
/** The test OpenID Connect provider (test/support/oidc-provider.ts) the app signs in with; E2E_OIDC_PORT moves it. */
// Not 4190: browsers and Node's fetch refuse it (a "bad port" of the Fetch standard: ManageSieve).
export const E2E_OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 4192);
export const E2E_OIDC_ISSUER = `http://127.0.0.1:${E2E_OIDC_PORT}`;
/** The SSO button says "Sign in with <OIDC_LABEL>". */
export const E2E_OIDC_LABEL = "Acme SSO";
export const ADMIN = { name: "Ada Admin", email: "ada@nightshift.test", password: "correct horse battery staple" };
