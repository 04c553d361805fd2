// npm run bench:auth [-- --requests 2000]
// What signing in costs each API call: the same route answered N times as a public route (no
// session read: the baseline, measured in the same run) and as a signed-in route (better-auth reads
// the signed cookie and the session + user rows from Postgres on every request; no cookie cache).
// Also the cost of one local sign-in (scrypt password check + session insert). On a throwaway
// embedded PostgreSQL. Prints a table and writes .nightshift/bench/auth.json.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createAuth } from "@/lib/auth/auth";
import { sessionActorResolver } from "@/lib/auth/session-actor";
import { createLocalUser } from "@/lib/auth/users";
import { parseEnv } from "@/lib/config/env";
import { connectDatabase } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { createRouteFactory } from "@/lib/http/route";
import { createLogger } from "@/lib/log";
import { resolveSecretKeys } from "@/lib/secrets/secret-key";
import { freePort } from "../support/free-port";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const REQUESTS = arg("requests", 2_000);
const SIGN_INS = arg("sign-ins", 20);
const PASSWORD = "correct horse battery staple";
const log = createLogger({ level: "warn", format: "json" });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarize(name: string, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = samples.reduce((sum, ms) => sum + ms, 0);
  const round = (ms: number) => Number(ms.toFixed(3));
  return { measure: name, n: samples.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)), perSecond: Math.round((samples.length / total) * 1000) };
}

async function main() {
  const dataRoot = path.resolve(process.env.NIGHTSHIFT_DATA_DIR ?? ".nightshift");
  const dataDir = path.join(dataRoot, "bench", `auth-pg-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), log, maxConnections: 50 });
  try {
    await migrateDatabase(server.url);
    const handle = connectDatabase(server.url, { max: 5, name: "nightshift-bench" });
    try {
      const env = parseEnv({ ...process.env, NIGHTSHIFT_DATA_DIR: path.join(dataRoot, "bench") });
      const auth = createAuth({ db: handle.db, env, keys: resolveSecretKeys(env), log });
      await createLocalUser(handle.db, auth, { email: "bench@nightshift.test", name: "Bench", role: "viewer", password: PASSWORD }, "bench");

      const signIns: number[] = [];
      let cookie = "";
      for (let i = 0; i < SIGN_INS; i += 1) {
        const started = performance.now();
        const answer = await auth.api.signInEmail({ body: { email: "bench@nightshift.test", password: PASSWORD }, asResponse: true });
        signIns.push(performance.now() - started);
        if (!answer.ok) throw new Error(`sign-in failed: ${answer.status}`);
        cookie = answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      }

      const route = createRouteFactory({ deps: () => ({}), resolveActor: sessionActorResolver(() => auth), log: () => log });
      const publicRoute = route({ name: "GET /bench/public", access: "public" }, () => ({ ok: true }));
      const signedInRoute = route({ name: "GET /bench/signed-in", access: { role: "viewer" } }, ({ actor }) => ({ ok: actor.role === "viewer" }));

      async function time(handler: typeof publicRoute): Promise<number[]> {
        const samples: number[] = [];
        for (let i = 0; i < REQUESTS; i += 1) {
          const request = new Request("http://127.0.0.1/bench", { headers: { cookie } });
          const started = performance.now();
          const answer = await handler(request, {});
          samples.push(performance.now() - started);
          if (answer.status !== 200) throw new Error(`answered ${answer.status}: ${await answer.text()}`);
        }
        return samples;
      }
      // Warm both paths (JIT, prepared statements) before measuring, then alternate halves so drift hits both alike.
      await time(publicRoute);
      await time(signedInRoute);
      const baseline = [...(await time(publicRoute)), ...(await time(publicRoute))];
      const signedIn = [...(await time(signedInRoute)), ...(await time(signedInRoute))];

      const results = [summarize("public route (baseline)", baseline), summarize("signed-in route (session read)", signedIn), summarize("local sign-in (scrypt + session row)", signIns)];
      const added = results[1]!.p50Ms - results[0]!.p50Ms;
      const report = { at: new Date().toISOString(), requests: baseline.length, results, sessionCheckAddsP50Ms: Number(added.toFixed(3)), goal: { addsUnderMs: 5, met: added < 5 } };
      console.table(results);
      console.log(`the session check adds ${report.sessionCheckAddsP50Ms} ms per API call at p50 (goal < 5 ms: ${report.goal.met ? "met" : "NOT met"})`);
      const out = path.join(dataRoot, "bench");
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, "auth.json"), `${JSON.stringify(report, null, 2)}\n`);
      if (!report.goal.met) process.exitCode = 1;
    } finally {
      await handle.close();
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
