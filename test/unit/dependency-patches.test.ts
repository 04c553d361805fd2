import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";


describe("dependency patches (scripts/patch-dependencies.mjs, run on install)", () => {
  it("guards postgres.js's deferred write against a closed socket in every build it ships", () => {
    const dir = path.join(process.cwd(), "node_modules", "postgres");
    for (const file of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text, file).toMatch(/function nextWrite\(fn\) \{\n\s+if \(!socket\) \{ \/\/ nightshift patch/);
    }
  });
});
