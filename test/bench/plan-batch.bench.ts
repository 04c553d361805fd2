// npm run bench:plan [-- --cases 10000 --baseline 1000]
// Times planBatch (set-based) on N pending cases against the per-case loop it replaced (one
// enqueueRun per case) on a smaller batch, on a throwaway embedded PostgreSQL. Prints a table and
// writes .nightshift/bench/plan.json.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { parseEnv } from "@/lib/config/env";
import { connectDatabase, withDatabaseName, type DatabaseHandle } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncOems } from "@/lib/oems/catalog";
import { createJobQueue, withJobs, type JobQueue } from "@/lib/queue/job-queue";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import { freePort } from "../support/free-port";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const CASES = arg("cases", 10_000);
const BASELINE_CASES = arg("baseline", 1_000);
const env = parseEnv(process.env);
const log = createLogger({ level: "warn", format: "json" });

/** N pending cases in one statement: three OEMs, a fifth redaction-sensitive, a tenth urgent. */
async function seedCases(handle: DatabaseHandle, n: number, prefix: string) {
  await handle.db.execute(sql`
    insert into cases (crm_id, reference, oem_id, kind, redaction_sensitive, crm_priority, crm_status, status, created_at)
    select ${prefix} || '-' || g, 'NS-2026-' || lpad(g::text, 5, '0'), (array['arden', 'borealis', 'corvid'])[1 + g % 3], 'warranty_claim',
           g % 5 = 0, case when g % 10 = 0 then 'urgent' else 'normal' end, 'open', 'pending', now() - make_interval(secs => g)
    from generate_series(1, ${n}) g`);
}

/** The planner as it was before (lib/batches/start-batch.ts): one enqueueRun per case. */
async function perCaseLoop(handle: DatabaseHandle, queue: JobQueue): Promise<number> {
  return withJobs(handle.db, queue, async (tx) => {
    const pending = await tx.execute<{ id: string }>(sql`select id from cases where status = 'pending' order by created_at, id`);
    const start = Date.now();
    let count = 0;
    for (const [index, c] of pending.entries()) {
      const run = await enqueueRun(tx, queue, { caseId: c.id, maxAttempts: 3, runAt: new Date(start + index) });
      if (run?.created) count += 1;
    }
    return count;
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

async function main() {
  const dataDir = path.join(env.NIGHTSHIFT_DATA_DIR, "bench", `pg-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), log, maxConnections: 50 });
  const results: Array<{ planner: string; cases: number; ms: number; perCaseMs: number; jobs: number }> = [];
  try {
    for (const [name, n] of [
      ["per-case loop (before)", BASELINE_CASES],
      ["set-based planBatch", BASELINE_CASES],
      ["set-based planBatch", CASES],
    ] as const) {
      const dbName = `bench_${results.length}`;
      const admin = connectDatabase(server.url, { max: 1 });
      await admin.sql.unsafe(`create database ${dbName}`);
      await admin.close();
      const url = withDatabaseName(server.url, dbName);
      await migrateDatabase(url);
      const handle = connectDatabase(url, { max: 5, name: "nightshift-bench" });
      const queue = await createJobQueue(url, { log });
      try {
        await syncOems(handle.db, { portalUrls: {} });
        await seedCases(handle, n, dbName);
        const run =
          name === "set-based planBatch"
            ? await timed(async () => {
                const r = await planBatch(handle.db, queue, { trigger: "manual", plan: DEFAULT_RECIPE, recipeVersion: null, deadline: null, createdBy: "bench", defaultMaxAttempts: 3 });
                return r.kind === "planned" ? r.caseCount : 0;
              })
            : await timed(() => perCaseLoop(handle, queue));
        const [jobs] = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'submit_case'`);
        if (run.value !== n || jobs?.n !== n) throw new Error(`${name}: planned ${run.value} runs and ${jobs?.n} jobs for ${n} cases`);
        results.push({ planner: name, cases: n, ms: run.ms, perCaseMs: Number((run.ms / n).toFixed(3)), jobs: jobs.n });
      } finally {
        await queue.release();
        await handle.close();
      }
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const baseline = results[0]!;
  const same = results[1]!;
  const big = results[2]!;
  const report = {
    at: new Date().toISOString(),
    results,
    speedupAtBaselineSize: Number((baseline.ms / same.ms).toFixed(1)),
    goal: { cases: CASES, underMs: 5_000, met: big.ms < 5_000 },
  };
  console.table(results);
  console.log(`set-based is ${report.speedupAtBaselineSize}× the per-case loop at ${BASELINE_CASES} cases; ${CASES} cases in ${big.ms} ms (goal < 5,000 ms: ${report.goal.met ? "met" : "NOT met"})`);
  const out = path.join(env.NIGHTSHIFT_DATA_DIR, "bench");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "plan.json"), `${JSON.stringify(report, null, 2)}\n`);
  if (!report.goal.met) process.exitCode = 1;
}

await main();
