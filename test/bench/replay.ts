// `npm run bench:replay -- --rounds N`: what replay costs on an unchanged portal. Per portal, files
// N cases with the adapter's primary locators used as they are (a healing session with replay off:
// overlays are still looked for and dismissed, nothing is verified or recorded) and N with replay
// on (every target verified against its last good fingerprint, the portal's replay state loaded
// from Postgres and written back), interleaved one by one so both sides see the same machine; reports the median and p90 attempt time of each side and the overhead, writes
// .nightshift/bench/replay.json and prints a markdown table. Real Chromium, sandbox without faults,
// embedded PostgreSQL on a free port. Goal (issue 12): replay adds ≤ 5 % to an attempt.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { chromium } from "playwright-core";
import pino from "pino";
import type { AdapterContext, PortalAdapter } from "@/jobs/automation/adapter";
import { portalAdapters } from "@/jobs/automation/adapters";
import { HealingSession } from "@/jobs/automation/healing/session";
import { formDataOf } from "@/lib/cases/upsert-case";
import { crmCaseSchema } from "@/lib/crm/types";
import { connectDatabase, waitForDatabase } from "@/lib/db/client";
import type { CaseForSubmission } from "@/lib/domain/types";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { loadReplayState } from "@/lib/healing/store";
import { createLogger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { startSandbox } from "../../sandbox/server";
import { freePort } from "../support/free-port";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "15" },
    out: { type: "string", default: ".nightshift/bench/replay.json" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
});
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 3) {
  process.stderr.write("--rounds must be a whole number of at least 3\n");
  process.exit(2);
}

const CRM_TOKEN = "sandbox-crm-token";
const CASES: Record<string, { kind: string; unitId: string }> = {
  arden: { kind: "warranty_claim", unitId: "1AR4JBW5TGFF995P6" },
  borealis: { kind: "emissions_report", unitId: "BM-EX2-004512" },
  corvid: { kind: "safety_incident", unitId: "CI-4821-0093" },
};

const log = createLogger({ level: "warn", format: "pretty", name: "bench-replay" });
const quiet = pino({ level: "silent" });
const outDir = path.dirname(path.resolve(values.out));
const pgDir = path.join(outDir, "replay-pg");
rmSync(pgDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), log });
await waitForDatabase(postgres.url);
await migrateDatabase(postgres.url);
const handle = connectDatabase(postgres.url, { max: 3, name: "bench-replay" });
await syncOems(handle.db, { portalUrls: {} });
const sandbox = await startSandbox({ port: 0, seed: false, crmToken: CRM_TOKEN });
const browser = await chromium.launch({ executablePath: values.chromium, headless: true });

async function createCase(oem: string): Promise<CaseForSubmission> {
  const headers = { authorization: `Bearer ${CRM_TOKEN}`, "content-type": "application/json" };
  const created = await fetch(`${sandbox.url}/crm/api/cases`, { method: "POST", headers, body: JSON.stringify({ oem, ...CASES[oem] }) });
  if (created.status !== 201) throw new Error(`the sandbox CRM refused a case for ${oem}: HTTP ${created.status}`);
  const { id } = (await created.json()) as { id: string };
  const crmCase = crmCaseSchema.parse(await (await fetch(`${sandbox.url}/crm/api/cases/${id}`, { headers })).json());
  return { id: randomUUID(), crmId: crmCase.id, reference: crmCase.reference, oemId: crmCase.oem, oemLabel: oem, kind: crmCase.kind, formData: formDataOf(crmCase), redactionSensitive: crmCase.redactionSensitive };
}

/** One filing the way the runner makes it; with `replay`, through a healing session as in production. */
async function fileOnce(oem: string, replay: boolean): Promise<number> {
  const adapter: PortalAdapter = portalAdapters[oem]!;
  const c = await createCase(oem);
  const started = performance.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const state = replay ? await loadReplayState(handle.db, { oemId: oem, adapterVersion: adapter.version }) : { baselines: new Map(), cache: new Map() };
    const healing = new HealingSession(page, { db: handle.db, log: quiet, oemId: oem, adapterVersion: adapter.version, runId: null, attemptId: null, state, dryRun: false, replay, saveScreenshot: () => Promise.resolve(null) });
    const ctx: AdapterContext = {
      page,
      case: c,
      portalUrl: `${sandbox.url}/portals/${oem}`,
      credentials: { username: "nightshift", password: `sandbox-${oem}-pass` },
      step: async (name, fn) => {
        healing.step = name;
        return fn();
      },
      healing,
      fillSecret: (locator, secret) => locator.fill(secret),
      markSubmitClicked: async () => {
        await healing.gate();
      },
      loadAttachment: async () => {
        const res = await fetch(`${sandbox.url}/crm/api/cases/${c.crmId}/attachment.pdf`, { headers: { authorization: `Bearer ${CRM_TOKEN}` } });
        return { fileName: `${c.crmId}.pdf`, contentType: "application/pdf", body: Buffer.from(await res.arrayBuffer()) };
      },
      submitClickedBefore: false,
      log: quiet,
    };
    const result = await adapter.submit(ctx);
    if (result.alreadyFiled) throw new Error(`${oem}: a fresh case was already filed`);
    await healing.finish("submitted");
    if (healing.report.healed > 0) throw new Error(`${oem}: replay healed ${healing.report.healed} targets on an unchanged portal`);
  } finally {
    await context.close();
  }
  return performance.now() - started;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))]!;
};

const rows: Array<{ oem: string; rounds: number; primaryP50: number; primaryP90: number; replayP50: number; replayP90: number; overheadPct: number }> = [];
try {
  for (const oem of Object.keys(CASES)) {
    // Warm-up: the first replay filing records the last good state (and both sides warm the caches).
    await fileOnce(oem, false);
    await fileOnce(oem, true);
    const primary: number[] = [];
    const replay: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, alternating which side goes first, so drift in machine load hits both.
      const order = round % 2 === 0 ? [false, true] : [true, false];
      for (const side of order) (side ? replay : primary).push(await fileOnce(oem, side));
    }
    const row = {
      oem,
      rounds: ROUNDS,
      primaryP50: Math.round(quantile(primary, 0.5)),
      primaryP90: Math.round(quantile(primary, 0.9)),
      replayP50: Math.round(quantile(replay, 0.5)),
      replayP90: Math.round(quantile(replay, 0.9)),
      overheadPct: Math.round((quantile(replay, 0.5) / quantile(primary, 0.5) - 1) * 1000) / 10,
    };
    rows.push(row);
    log.warn(row, `${oem} measured`);
  }
} finally {
  await browser.close();
  await sandbox.close();
  await handle.close();
  await postgres.stop();
}

writeFileSync(path.resolve(values.out), `${JSON.stringify({ measuredAt: new Date().toISOString(), rounds: ROUNDS, rows }, null, 2)}\n`);
const lines = [
  "| portal | replay off p50 / p90 (ms) | replay p50 / p90 (ms) | replay overhead (p50) |",
  "|---|---|---|---|",
  ...rows.map((r) => `| ${r.oem} | ${r.primaryP50} / ${r.primaryP90} | ${r.replayP50} / ${r.replayP90} | ${r.overheadPct >= 0 ? "+" : ""}${r.overheadPct} % |`),
];
process.stdout.write(`${lines.join("\n")}\n`);
const worst = Math.max(...rows.map((r) => r.overheadPct));
process.stdout.write(`worst overhead ${worst} % (goal ≤ 5 %)\n`);
