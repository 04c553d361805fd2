import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/support/leak-guard.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // 2 cores: browsers and Postgres share them; a file at a time keeps timings honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
