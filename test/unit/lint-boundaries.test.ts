import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/** The lint rules that say where code may run, proven with the project's real ESLint config. */
let eslint: ESLint;
const BOUNDARY_RULES = new Set(["boundaries/no-server-import-in-client", "no-restricted-imports", "no-restricted-properties", "no-restricted-syntax"]);
beforeAll(() => {
  // The probes are not files on disk, which typed linting (the project service) refuses; the
  // boundary rules need no type information, so run just them, untyped, on the real config.
  eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
  });
});

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const SERVER_IMPORT = "boundaries/no-server-import-in-client";
const importsDb = `import { connectDatabase } from "@/lib/db/client";\nexport const connect = connectDatabase;\n`;

describe("where code may run", { timeout: 60_000 }, () => {
  it("refuses a database import in components/", async () => {
    expect(await ruleIds(importsDb, "components/lint-probe.tsx")).toContain(SERVER_IMPORT);
  });

  it("refuses server modules in a \"use client\" file in app/, however they are imported", async () => {
    const code = `"use client";\nimport { getSharedDatabase } from "@/lib/db/shared";\nimport { getEnv } from "../../lib/config/env";\nexport const probe = [getSharedDatabase, getEnv];\n`;
    const ids = await ruleIds(code, "app/(dashboard)/lint-probe.tsx");
    expect(ids.filter((id) => id === SERVER_IMPORT)).toHaveLength(2);
    expect(await ruleIds(`"use client";\nimport postgres from "postgres";\nexport const probe = postgres;\n`, "app/lint-probe.tsx")).toContain(SERVER_IMPORT);
  });

  it("lets a server page import lib/db, and a client component import pure modules and types", async () => {
    expect(await ruleIds(importsDb, "app/(dashboard)/lint-probe.tsx")).not.toContain(SERVER_IMPORT);
    const client = `"use client";\nimport type { CaseDetail } from "@/lib/cases/queries/get-case-detail";\nimport { formatCount } from "@/lib/format/number";\nexport const probe = (d: CaseDetail) => [d, formatCount(1)];\n`;
    expect(await ruleIds(client, "components/lint-probe.tsx")).not.toContain(SERVER_IMPORT);
  });

  it("keeps lib/ free of Next.js", async () => {
    expect(await ruleIds(`import { NextResponse } from "next/server";\nexport const probe = NextResponse;\n`, "lib/lint-probe.ts")).toContain("no-restricted-imports");
  });

  it("lets only lib/config (and scripts, the sandbox entry, tests, tool configs) read process.env", async () => {
    const reads = `export const port = process.env.PORT;\n`;
    expect(await ruleIds(reads, "lib/runs/lint-probe.ts")).toContain("no-restricted-properties");
    expect(await ruleIds(reads, "jobs/lint-probe.ts")).toContain("no-restricted-properties");
    expect(await ruleIds(`const { env } = process;\nexport const port = env.PORT;\n`, "app/lint-probe.ts")).toContain("no-restricted-syntax");
    expect(await ruleIds(reads, "lib/config/lint-probe.ts")).not.toContain("no-restricted-properties");
    expect(await ruleIds(reads, "scripts/lint-probe.ts")).not.toContain("no-restricted-properties");
  });
});
