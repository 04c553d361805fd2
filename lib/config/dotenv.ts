import { existsSync } from "node:fs";

/**
 * Loads `.env` from the working directory when present (never overrides variables already set).
 * For the launcher and the worker; Next.js loads `.env` for the web app itself.
 */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
