import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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

/**
 * Rebuilds the production bundle (`next build`) when its inputs changed since the last build;
 * returns whether it built. Used by `npm start` and the UI bench.
 */
export function buildIfStale(root: string, log: { info: (obj: object | string, msg?: string) => void }, env: NodeJS.ProcessEnv): boolean {
  const hashFile = path.join(root, ".next", "nightshift-build-hash");
  const hash = hashBuildInputs(root);
  if (existsSync(hashFile) && readFileSync(hashFile, "utf8") === hash && existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log.info("production build is up to date");
    return false;
  }
  log.info("building the web app (next build); this takes a minute the first time");
  const started = Date.now();
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed; see the output above");
  writeFileSync(hashFile, hash);
  log.info({ seconds: Math.round((Date.now() - started) / 1000) }, "web app built");
  return true;
}
