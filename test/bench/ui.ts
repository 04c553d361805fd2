// `npm run bench:ui -- [--runs 100000] [--nights 90] [--requests 30] [--lighthouse on|off]`: seeds a
// large history into a fresh embedded PostgreSQL (test/bench/ui/seed-history.ts), serves the
// production build against it (scripts/serve-web.mjs, no worker, no sandbox), and reports the
// p50/p95 server time of each page and JSON endpoint (sequential requests after a warm-up), plus
// the Lighthouse performance and accessibility scores of the overview and the runs page in Debian
// Chromium. Writes .nightshift/bench/ui.json and prints a markdown table.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { connectDatabase, waitForDatabase } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { buildIfStale } from "@/lib/launcher/build-hash";
import { createLogger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { findChromium } from "../../jobs/automation/chromium";
import { freePort } from "../support/free-port";
import { seedHistory } from "./ui/seed-history";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    nights: { type: "string", default: "90" },
    requests: { type: "string", default: "30" },
    lighthouse: { type: "string", default: "on" },
    out: { type: "string", default: ".nightshift/bench/ui.json" },
  },
});
const RUNS = Number(values.runs);
const NIGHTS = Number(values.nights);
const REQUESTS = Number(values.requests);
if (![RUNS, NIGHTS, REQUESTS].every((n) => Number.isInteger(n) && n > 0) || NIGHTS > RUNS) {
  process.stderr.write("--runs, --nights and --requests must be positive whole numbers (nights ≤ runs)\n");
  process.exit(2);
}
const GOAL_P95_MS = 200;
const log = createLogger({ level: "info", name: "bench:ui" });
const root = process.cwd();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

interface Target {
  name: string;
  path: string;
  kind: "page" | "json";
}
interface Measured extends Target {
  status: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  bytes: number;
}

const outDir = path.dirname(values.out);
const pgDir = path.join(outDir, "ui-pg");
rmSync(pgDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const pgPort = await freePort();
const postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, log, maxConnections: 50 });
let web: ChildProcess | undefined;
try {
  await waitForDatabase(postgres.url);
  await migrateDatabase(postgres.url);
  const handle = connectDatabase(postgres.url, { max: 2, name: "bench-ui" });
  await syncOems(handle.db, { portalUrls: {} });
  const seedStarted = Date.now();
  const seeded = await seedHistory(handle.db, { runs: RUNS, nights: NIGHTS });
  const seedSeconds = Math.round((Date.now() - seedStarted) / 100) / 10;
  await handle.close();
  log.info({ ...seeded, seedSeconds }, "history seeded");

  buildIfStale(root, log, process.env);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  web = spawn(process.execPath, [path.join(root, "scripts", "serve-web.mjs")], {
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      NIGHTSHIFT_SUPERVISED: "on",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NODE_ENV: "production",
      SANDBOX: "on",
      SANDBOX_PORT: String(await freePort()),
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let waited = 0; ; waited += 250) {
    if (waited > 120_000) throw new Error("the web app did not answer /api/health within 2 minutes");
    const ok = await fetch(`${base}/api/health`).then((r) => r.status < 500, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }

  const s = seeded.sample;
  const targets: Target[] = [
    { name: "overview", path: "/", kind: "page" },
    { name: "runs (newest)", path: "/runs", kind: "page" },
    { name: "runs ?status=failed", path: "/runs?status=failed", kind: "page" },
    { name: "runs ?oem=corvid", path: "/runs?oem=corvid", kind: "page" },
    { name: "runs ?errorClass=site_changed", path: "/runs?errorClass=site_changed", kind: "page" },
    { name: "runs ?batch=<latest>", path: `/runs?batch=${s.latestBatchId}`, kind: "page" },
    { name: "runs ?q=<reference>", path: `/runs?q=${encodeURIComponent(s.reference)}`, kind: "page" },
    { name: "runs ?from&to (7 nights)", path: `/runs?from=${isoDay(-7)}&to=${isoDay(0)}`, kind: "page" },
    { name: "runs ?fingerprint=<largest group>", path: `/runs?fingerprint=${s.fingerprint}`, kind: "page" },
    { name: "cases", path: "/cases", kind: "page" },
    { name: "case (failed)", path: `/cases/${s.failedCaseId}`, kind: "page" },
    { name: "case (submitted)", path: `/cases/${s.submittedCaseId}`, kind: "page" },
    { name: "triage", path: "/triage", kind: "page" },
    { name: "batches", path: "/batches", kind: "page" },
    { name: "batch (latest)", path: `/batches/${s.latestBatchId}`, kind: "page" },
    { name: "portals", path: "/portals", kind: "page" },
    { name: "settings", path: "/settings", kind: "page" },
    { name: "GET /api/overview", path: "/api/overview", kind: "json" },
    { name: "GET /api/runs", path: "/api/runs", kind: "json" },
    { name: "GET /api/runs?status=failed&oem=arden", path: "/api/runs?status=failed&oem=arden", kind: "json" },
    { name: "GET /api/cases/:id", path: `/api/cases/${s.failedCaseId}`, kind: "json" },
    { name: "GET /api/triage", path: "/api/triage", kind: "json" },
    { name: "GET /api/batches", path: "/api/batches", kind: "json" },
    { name: "GET /api/batches/:id", path: `/api/batches/${s.latestBatchId}`, kind: "json" },
    { name: "GET /api/portals", path: "/api/portals", kind: "json" },
  ];
  const measured: Measured[] = [];
  for (const target of targets) {
    const once = async () => {
      const started = performance.now();
      const response = await fetch(`${base}${target.path}`, { headers: target.kind === "json" ? { accept: "application/json" } : {} });
      const body = await response.arrayBuffer();
      return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
    };
    for (let i = 0; i < 3; i++) await once();
    const samples = [];
    for (let i = 0; i < REQUESTS; i++) samples.push(await once());
    const sorted = samples.map((x) => x.ms).sort((a, b) => a - b);
    const row = { ...target, status: samples.at(-1)!.status, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted.at(-1)!), bytes: samples.at(-1)!.bytes };
    measured.push(row);
    log.info({ target: target.name, status: row.status, p50: row.p50Ms, p95: row.p95Ms }, "measured");
  }

  const lighthouse = values.lighthouse === "on" ? await runLighthouse(base, ["/", "/runs"]) : [];
  const present = measured.filter((m) => m.status === 200);
  const report = {
    at: new Date().toISOString(),
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((l) => round(l)),
    seeded: { runs: seeded.runs, attempts: seeded.attempts, artifacts: seeded.artifacts, batches: seeded.batches, seconds: seedSeconds },
    requestsPerTarget: REQUESTS,
    goalP95Ms: GOAL_P95_MS,
    targets: measured,
    lighthouse,
    goalMet: present.length === measured.length && present.every((m) => m.p95Ms <= GOAL_P95_MS) && lighthouse.every((l) => l.performance >= 0.9 && l.accessibility >= 0.9),
  };
  writeFileSync(values.out, JSON.stringify(report, null, 2));
  const lines = [
    `bench:ui — ${seeded.runs.toLocaleString("en-US")} runs, ${seeded.attempts.toLocaleString("en-US")} attempts, ${seeded.artifacts.toLocaleString("en-US")} artifact rows over ${seeded.batches} nights (seeded in ${seedSeconds} s); ${REQUESTS} sequential requests per target after 3 warm-ups; ${os.cpus().length} cores, load ${report.loadAverage.join(" / ")}`,
    "",
    "| target | status | p50 ms | p95 ms | max ms | KiB |",
    "|---|---|---|---|---|---|",
    ...measured.map((m) => `| ${m.name} | ${m.status} | ${m.p50Ms} | ${m.p95Ms}${m.p95Ms > GOAL_P95_MS ? " ⚠" : ""} | ${m.maxMs} | ${Math.round(m.bytes / 1024)} |`),
    "",
    ...(lighthouse.length ? ["| Lighthouse (Debian Chromium, desktop) | performance | accessibility |", "|---|---|---|", ...lighthouse.map((l) => `| ${l.path} | ${l.performance} | ${l.accessibility} |`), ""] : []),
    `Goal p95 ≤ ${GOAL_P95_MS} ms on every target${lighthouse.length ? " and Lighthouse ≥ 0.9" : ""}: ${report.goalMet ? "met" : "not met"}. JSON: ${values.out}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  if (web && web.exitCode === null) {
    web.kill("SIGTERM");
    await exited(web);
  }
  await postgres.stop();
  rmSync(pgDir, { recursive: true, force: true });
}
process.exit(0);

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Lighthouse 12 in Debian Chromium (headless), desktop preset, performance + accessibility. */
async function runLighthouse(base: string, paths: string[]): Promise<Array<{ path: string; performance: number; accessibility: number }>> {
  const { default: lighthouse, desktopConfig } = await import("lighthouse");
  const chromeLauncher = await import("chrome-launcher");
  const chrome = await chromeLauncher.launch({
    chromePath: findChromium({ explicitPath: process.env.CHROMIUM_PATH, searchPath: process.env.PATH }),
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const results = [];
    for (const p of paths) {
      const result = await lighthouse(`${base}${p}`, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] }, desktopConfig);
      const categories = result?.lhr.categories;
      results.push({ path: p, performance: categories?.performance?.score ?? 0, accessibility: categories?.accessibility?.score ?? 0 });
    }
    return results;
  } finally {
    chrome.kill();
  }
}
