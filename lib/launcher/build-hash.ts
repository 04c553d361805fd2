import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Inputs of `next build`: when their content hash changes, the production build is stale. */
const BUILD_INPUTS = ["app", "components", "lib", "drizzle/schema.ts", "public", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

export function hashBuildInputs(root: string, inputs: string[] = BUILD_INPUTS): string {
  const hash = createHash("sha256");
  const visit = (relative: string) => {
    const absolute = path.join(root, relative);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(absolute).sort()) visit(path.join(relative, entry));
    } else {
      hash.update(relative).update("\0").update(readFileSync(absolute)).update("\0");
    }
  };
  for (const input of inputs) visit(input);
  return hash.digest("hex");
}
