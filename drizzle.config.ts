import { defineConfig } from "drizzle-kit";

// Generation only (`npm run db:generate`): needs no database. Migrations are applied at start by
// lib/db/migrate.ts. Never widen schemaFilter to graphile_worker (drizzle-kit would offer to drop it).
export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema.ts",
  out: "./drizzle/migrations",
  schemaFilter: ["public"],
});
