// `npm run bench:batch -- --cases N --concurrency 1,2,3,4`: files N Arden cases through the whole
// pipeline (batch → queue → a real worker process → attempts, evidence, CRM write-back) at each
// concurrency, and the same number with a bare Playwright loop (test/bench/bare-loop.ts) on the
// same portal; reports cases/min, p50/p95 per filing and CPU seconds of each side, writes
// .nightshift/bench/batch.json and prints a markdown table. Sandbox without faults, embedded
// PostgreSQL on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { connectDatabase, waitForDatabase } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { createJobQueue } from "@/lib/queue/job-queue";
import { seededRandom } from "../../sandbox/random";
import { unitIdFor } from "../../sandbox/seed";
import { startSandbox } from "../../sandbox/server";
import { freePort } from "../support/free-port";

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "200" },
    concurrency: { type: "string", default: "1,2,3,4" },
    out: { type: "string", default: ".nightshift/bench/batch.json" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
});
const N = Number(values.cases);
const CONCURRENCIES = values.concurrency.split(",").map(Number);
if (!Number.isInteger(N) || N < 1 || CONCURRENCIES.some((c) => !Number.isInteger(c) || c < 1 || c > 8)) {
  process.stderr.write("--cases must be a positive whole number and --concurrency a list of 1–8\n");
  process.exit(2);
}
const CRM_TOKEN = "bench-crm-token";
const CLK_TCK = 100;
const log = createLogger({ level: "warn", name: "bench" });

interface Side {
  casesPerMin: number;
  p50Ms: number;
  p95Ms: number;
  /** CPU seconds of the side's own process and its Chromium (reaped children). */
  cpuSeconds: number;
  /** CPU seconds of the sandbox (and the bench driver) meanwhile. */
  sandboxCpuSeconds: number;
  wallSeconds: number;
  filed: number;
  failures: number;
}

/** CPU seconds of this process's reaped children (cutime + cstime), from /proc. */
function childrenCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}
const ownCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", (code) => r(code)));
}

const outDir = path.dirname(values.out);
const pgDir = path.join(outDir, "pg");
rmSync(pgDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const pgPort = await freePort();
const postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, log, maxConnections: 100 });
await waitForDatabase(postgres.url);
await migrateDatabase(postgres.url);
const handle = connectDatabase(postgres.url, { max: 3, name: "bench" });
const queue = await createJobQueue(postgres.url, { log });
const sandbox = await startSandbox({ port: 0, seed: false, crmToken: CRM_TOKEN });
const crm = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
const random = seededRandom(42);
const artifactsDir = path.join(outDir, "artifacts");

async function createCases(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${sandbox.url}/crm/api/cases`, {
      method: "POST",
      headers: { authorization: `Bearer ${CRM_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ oem: "arden", kind: "warranty_claim", unitId: unitIdFor("arden", random) }),
    });
    if (response.status !== 201) throw new Error(`creating a bench case failed: ${response.status}`);
  }
}

async function pipeline(concurrency: number): Promise<Side> {
  await handle.db.execute(sql`truncate runs, attempts, outbox, batches, cases, portal_sessions, worker_heartbeats cascade`);
  await fetch(`${sandbox.url}/sandbox/admin/reset`, { method: "POST", body: "{}" });
  await createCases(N);
  await syncCasesFromCrm(handle.db, { crm, log });
  const cpuBefore = childrenCpuSeconds();
  const worker = spawn(process.execPath, ["--import", "tsx", "jobs/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      NIGHTSHIFT_SUPERVISED: "on",
      SANDBOX: "on",
      SANDBOX_PORT: String(sandbox.port),
      CRM_TOKEN,
      WORKER_CONCURRENCY: String(concurrency),
      ARTIFACTS_DIR: artifactsDir,
      CHROMIUM_PATH: values.chromium,
      NIGHTLY_BATCH_CRON: "0 0 1 1 *",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    for (;;) {
      const [row] = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from worker_heartbeats where pool_id is not null`);
      if ((row?.n ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sandboxBefore = ownCpuSeconds();
    const started = Date.now();
    // The portal limit follows the concurrency, so it measures the pipeline, not the limit.
    await planBatch(handle.db, queue, {
      trigger: "manual",
      plan: { ...DEFAULT_RECIPE, concurrency, portalConcurrency: { arden: concurrency }, reason: "bench" },
      recipeVersion: null,
      deadline: null,
      createdBy: "bench",
      defaultMaxAttempts: 3,
    });
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const [row] = await handle.db.execute<{ open: number; pending: number }>(sql`
        select (select count(*)::int from runs where status in ('queued', 'running', 'retry_scheduled')) as open,
               (select count(*)::int from outbox where status = 'pending') as pending`);
      if (row && row.open === 0 && row.pending === 0) break;
    }
    const wallMs = Date.now() - started;
    const sandboxCpuSeconds = ownCpuSeconds() - sandboxBefore;
    const rows = await handle.db.execute<{ status: string; ms: number }>(sql`
      select status, (extract(epoch from (finished_at - started_at)) * 1000)::float8 as ms from runs`);
    worker.kill("SIGTERM");
    await exited(worker);
    const durations = rows.filter((r) => r.status === "submitted").map((r) => r.ms).sort((a, b) => a - b);
    return side(durations, rows.length - durations.length, wallMs, childrenCpuSeconds() - cpuBefore, sandboxCpuSeconds);
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) {
      worker.kill("SIGTERM");
      await exited(worker);
    }
  }
}

async function bareLoop(concurrency: number): Promise<Side> {
  await fetch(`${sandbox.url}/sandbox/admin/reset`, { method: "POST", body: "{}" });
  await createCases(N);
  const cpuBefore = childrenCpuSeconds();
  const sandboxBefore = ownCpuSeconds();
  const child = spawn(process.execPath, ["--import", "tsx", "test/bench/bare-loop.ts", "--url", sandbox.url, "--concurrency", String(concurrency), "--chromium", values.chromium], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await exited(child);
  if (code !== 0) throw new Error(`the bare loop exited with ${code}`);
  const result = JSON.parse(output.trim()) as { wallMs: number; durationsMs: number[]; failures: number };
  return side(
    result.durationsMs.sort((a, b) => a - b),
    result.failures,
    result.wallMs,
    childrenCpuSeconds() - cpuBefore,
    ownCpuSeconds() - sandboxBefore,
  );
}

function side(sortedMs: number[], failures: number, wallMs: number, cpuSeconds: number, sandboxCpuSeconds: number): Side {
  const r = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    casesPerMin: r((sortedMs.length / wallMs) * 60_000),
    p50Ms: Math.round(percentile(sortedMs, 50)),
    p95Ms: Math.round(percentile(sortedMs, 95)),
    cpuSeconds: r(cpuSeconds),
    sandboxCpuSeconds: r(sandboxCpuSeconds),
    wallSeconds: r(wallMs / 1000),
    filed: sortedMs.length,
    failures,
  };
}

const results: Array<{ concurrency: number; pipeline: Side; bare: Side; ratio: number; loadBefore: number[]; loadAfter: number[] }> = [];
try {
  await syncOems(handle.db, { portalUrls: {} });
  for (const concurrency of CONCURRENCIES) {
    const loadBefore = loadAverage();
    const p = await pipeline(concurrency);
    const b = await bareLoop(concurrency);
    const ratio = Math.round((p.casesPerMin / b.casesPerMin) * 1000) / 1000;
    results.push({ concurrency, pipeline: p, bare: b, ratio, loadBefore, loadAfter: loadAverage() });
    process.stderr.write(`concurrency ${concurrency}: pipeline ${p.casesPerMin}/min, bare ${b.casesPerMin}/min (ratio ${ratio})\n`);
  }
} finally {
  await queue.release();
  await handle.close();
  await sandbox.close();
  await postgres.stop();
  rmSync(pgDir, { recursive: true, force: true });
  rmSync(artifactsDir, { recursive: true, force: true });
}

const best = results.reduce((a, b) => (b.pipeline.casesPerMin > a.pipeline.casesPerMin ? b : a));
// The knee: the lowest concurrency within 5 % of the best pipeline throughput.
const knee = results.find((r) => r.pipeline.casesPerMin >= 0.95 * best.pipeline.casesPerMin)!;
const report = {
  at: new Date().toISOString(),
  cases: N,
  portal: "arden",
  cpus: os.cpus().length,
  results,
  best: { concurrency: best.concurrency, ratio: best.ratio },
  knee: knee.concurrency,
  goalMet: best.ratio >= 0.95,
};
writeFileSync(values.out, JSON.stringify(report, null, 2));

const lines = [
  `bench:batch — ${N} Arden cases per run, sandbox without faults, ${os.cpus().length} cores (load average before → after each pair shown)`,
  "",
  "| concurrency | pipeline cases/min | p50 / p95 (s) | CPU s (worker+Chromium / sandbox) | bare cases/min | p50 / p95 (s) | CPU s (loop+Chromium / sandbox) | ratio | load |",
  "|---|---|---|---|---|---|---|---|---|",
  ...results.map(
    (r) =>
      `| ${r.concurrency} | ${r.pipeline.casesPerMin} | ${(r.pipeline.p50Ms / 1000).toFixed(2)} / ${(r.pipeline.p95Ms / 1000).toFixed(2)} | ${r.pipeline.cpuSeconds} / ${r.pipeline.sandboxCpuSeconds} | ${r.bare.casesPerMin} | ${(r.bare.p50Ms / 1000).toFixed(2)} / ${(r.bare.p95Ms / 1000).toFixed(2)} | ${r.bare.cpuSeconds} / ${r.bare.sandboxCpuSeconds} | ${r.ratio} | ${r.loadBefore[0]} → ${r.loadAfter[0]} |`,
  ),
  "",
  `Best pipeline: concurrency ${best.concurrency}, ratio ${best.ratio} (goal ≥ 0.95: ${report.goalMet ? "met" : "not met"}). Knee: concurrency ${knee.concurrency}.`,
  `JSON: ${values.out}`,
];
process.stdout.write(`${lines.join("\n")}\n`);
process.exit(0);
