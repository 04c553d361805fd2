import path from "node:path";

/** Where the e2e launcher keeps its state (playwright.config.ts), e.g. the first-admin link. */
export const E2E_DATA_DIR = ".nightshift/e2e";
/** The signed-in admin's cookies, written by auth.setup.ts and used by every other spec. */
export const STORAGE_STATE = path.join(E2E_DATA_DIR, "admin-state.json");
export const ADMIN = { name: "Ada Admin", email: "ada@nightshift.test", password: "correct horse battery staple" };
