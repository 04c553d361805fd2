// The ports playwright.config.ts gives the launcher (E2E_* move them, so checkouts can run side by side).
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3123);
export const E2E_SANDBOX_URL = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? "4110"}`;
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL || `postgres://postgres@127.0.0.1:${process.env.E2E_PG_PORT ?? "54340"}/nightshift`;
