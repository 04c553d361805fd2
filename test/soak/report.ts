import type { SoakNight } from "./run-soak";
/** Soak metrics and their rendering (pure: unit-tested in test/unit/soak-report.test.ts). */

export interface SoakRunRecord {
  caseReference: string;
  oemId: string;
  status: string;
  errorClass: string | null;
  errorCode: string | null;
  attempts: number;
  /** First attempt started → run finished (retries, backoff and crash recovery included; queue wait excluded), in ms. */
  durationMs: number | null;
}

/** The runs a killed worker had in flight, and how long each waited until it was worked on again. */
export interface SoakKill {
  at: string;
  pid: number;
  inFlight: Array<{ runId: string; caseReference: string; resumedAfterSeconds: number | null }>;
}

/** One of the slowest runs, with its attempt timeline (for the report, so a tail can be explained). */
export interface SoakSlowRun {
  runId: string;
  caseReference: string;
  status: string;
  seconds: number;
  attempts: Array<{ number: number; status: string; code: string | null; workerId: string | null; startedAt: string; finishedAt: string | null }>;
}

export interface SoakInvariants {
  /** CRM cases that never heard an outcome (still not submitted / needs_review / failed in the CRM). */
  lostCases: string[];
  /** Extra portal filings beyond one per case reference. */
  duplicatePortalFilings: number;
  /** Extra applied CRM writes beyond one status (and one note) per case. */
  duplicateCrmEffects: number;
}

/** One reading of a worker process's memory (VmRSS from /proc/<pid>/status). */
export interface WorkerRssSample {
  pid: number;
  /** Milliseconds since that worker process was spawned. */
  ageMs: number;
  /** The worker (node) process alone. */
  rssBytes: number;
  /** The worker and its descendants (the Chromium it launched). */
  treeRssBytes: number;
}

/** Worker memory over the soak: the first worker once warm, the last worker at the end, and the growth between. */
export interface SoakWorkerMemory {
  samples: number;
  processes: number;
  startRssMiB: number;
  endRssMiB: number;
  growthPercent: number;
  startTreeRssMiB: number;
  endTreeRssMiB: number;
  treeGrowthPercent: number;
  peakRssMiB: number;
  peakTreeRssMiB: number;
  /** Chaos kills restart the worker: the largest growth from first to last sample within one process. */
  maxGrowthWithinOneProcessPercent: number;
}

/** A worker counts as warm (browser launched, code loaded) this long after it was spawned. */
export const WORKER_WARM_AFTER_MS = 10_000;

/** Sums the samples up (pure). Null without any warm sample. */
export function summariseWorkerMemory(samples: readonly WorkerRssSample[]): SoakWorkerMemory | null {
  const warm = samples.filter((s) => s.ageMs >= WORKER_WARM_AFTER_MS);
  const first = warm[0];
  const last = warm.at(-1);
  if (!first || !last) return null;
  const mib = (bytes: number) => round(bytes / 1_048_576);
  const growth = (from: number, to: number) => round(from > 0 ? ((to - from) / from) * 100 : 0);
  const byPid = new Map<number, WorkerRssSample[]>();
  for (const s of warm) byPid.set(s.pid, [...(byPid.get(s.pid) ?? []), s]);
  const within = [...byPid.values()].filter((list) => list.length >= 2).map((list) => growth(list[0]!.rssBytes, list.at(-1)!.rssBytes));
  return {
    samples: samples.length,
    processes: new Set(samples.map((s) => s.pid)).size,
    startRssMiB: mib(first.rssBytes),
    endRssMiB: mib(last.rssBytes),
    growthPercent: growth(first.rssBytes, last.rssBytes),
    startTreeRssMiB: mib(first.treeRssBytes),
    endTreeRssMiB: mib(last.treeRssBytes),
    treeGrowthPercent: growth(first.treeRssBytes, last.treeRssBytes),
    peakRssMiB: mib(Math.max(...warm.map((s) => s.rssBytes))),
    peakTreeRssMiB: mib(Math.max(...warm.map((s) => s.treeRssBytes))),
    maxGrowthWithinOneProcessPercent: within.length > 0 ? Math.max(...within) : 0,
  };
}

export interface SoakReport {
  startedAt: string;
  finishedAt: string;
  options: Record<string, unknown>;
  cases: number;
  wallSeconds: number;
  throughputPerMinute: number;
  submitted: number;
  terminalFails: number;
  terminalFailRate: number;
  terminalFailsByClass: Record<string, number>;
  /** Failures classified only as "unhandled exception in the adapter" (the classifier's unknowns). */
  unclassifiedFailures: number;
  unclassifiedRate: number;
  attemptsPerCase: Record<string, number>;
  meanAttempts: number;
  p50RunSeconds: number;
  p95RunSeconds: number;
  maxRunSeconds: number;
  histogram: Array<{ fromSeconds: number; toSeconds: number; count: number }>;
  workerKills: number;
  postgresRestarts: number;
  /** Per run a killed worker had in flight: seconds until it was worked on again. */
  recoverySeconds: number[];
  /** The bound every recovery must meet (the soak's stale threshold and sweep, scaled like production's 2 min). */
  recoveryLimitSeconds: number;
  kills: SoakKill[];
  slowestRuns: SoakSlowRun[];
  invariants: SoakInvariants;
  /** `--night`: the scheduled night's batch against its deadline, and its digest. */
  night: SoakNight | null;
  /** Worker RSS at start and end (goal: < 10 % growth); null when never sampled. */
  workerMemory: SoakWorkerMemory | null;
  /** Replay and healing over the night (issue 12); null when not measured. */
  healing: SoakHealing | null;
  greenlight: {
    failRateBelow3Percent: boolean;
    p95Below5Minutes: boolean;
    maxRunBelow10Minutes: boolean;
    everyRecoveryWithinLimit: boolean;
    invariantsHold: boolean;
    /** No night, or the night started on time, settled before its deadline, met its SLA and noted every terminal fail. */
    nightKeptItsPromise: boolean;
    passed: boolean;
  };
}

/** What replay and healing did over the night, summed over every attempt. */
export interface SoakHealing {
  /** Targets found by the adapter's locator, verified against their last good state. */
  primaryHits: number;
  /** Targets found by a reviewed resolution from the cache. */
  cacheHits: number;
  /** Targets healed (provisionally) by rule or model. */
  healed: number;
  healedByModel: number;
  overlaysDismissed: number;
  /** Heal proposals filed (identical ones from concurrent runs are one). */
  healsProposed: number;
  /** Model requests made, and their cost when priced. */
  llmCalls: number;
  llmCostUsd: number;
  /** Runs left waiting for a heal approval at the end. */
  awaitingApproval: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Buckets durations (seconds) into `buckets` equal bins from 0 to the maximum. */
export function histogram(valuesSeconds: number[], buckets = 12): SoakReport["histogram"] {
  if (valuesSeconds.length === 0) return [];
  const max = Math.max(...valuesSeconds);
  const width = Math.max(1, Math.ceil(max / buckets));
  const bins = Array.from({ length: buckets }, (_, i) => ({ fromSeconds: i * width, toSeconds: (i + 1) * width, count: 0 }));
  for (const v of valuesSeconds) bins[Math.min(buckets - 1, Math.floor(v / width))]!.count += 1;
  while (bins.length > 1 && bins.at(-1)!.count === 0) bins.pop();
  return bins;
}

export function buildReport(params: {
  startedAt: Date;
  finishedAt: Date;
  options: Record<string, unknown>;
  runs: SoakRunRecord[];
  invariants: SoakInvariants;
  workerKills: number;
  postgresRestarts: number;
  kills: SoakKill[];
  recoveryLimitSeconds: number;
  slowestRuns?: SoakSlowRun[];
  night?: SoakNight | null;
  workerRss?: readonly WorkerRssSample[];
  healing?: SoakHealing | null;
}): SoakReport {
  const { runs } = params;
  const cases = runs.length;
  const wallSeconds = (params.finishedAt.getTime() - params.startedAt.getTime()) / 1000;
  const submitted = runs.filter((r) => r.status === "submitted").length;
  const fails = runs.filter((r) => r.status !== "submitted");
  const byClass: Record<string, number> = {};
  for (const f of fails) byClass[f.errorClass ?? "none"] = (byClass[f.errorClass ?? "none"] ?? 0) + 1;
  const unclassified = fails.filter((f) => f.errorClass === "adapter_bug" && f.errorCode === "unhandled_exception").length;
  const attemptsPerCase: Record<string, number> = {};
  for (const r of runs) attemptsPerCase[String(r.attempts)] = (attemptsPerCase[String(r.attempts)] ?? 0) + 1;
  const durations = runs.map((r) => (r.durationMs ?? 0) / 1000).sort((a, b) => a - b);
  const p95 = percentile(durations, 95);
  const failRate = cases === 0 ? 0 : fails.length / cases;
  const invariantsHold = params.invariants.lostCases.length === 0 && params.invariants.duplicatePortalFilings === 0 && params.invariants.duplicateCrmEffects === 0;
  const recoveries = params.kills.flatMap((k) => k.inFlight.map((r) => r.resumedAfterSeconds));
  // A run never picked up again (null) breaks the rule as surely as a slow one.
  const everyRecoveryWithinLimit = recoveries.every((s) => s !== null && s <= params.recoveryLimitSeconds);
  const maxRun = durations.at(-1) ?? 0;
  return {
    startedAt: params.startedAt.toISOString(),
    finishedAt: params.finishedAt.toISOString(),
    options: params.options,
    cases,
    wallSeconds: round(wallSeconds),
    throughputPerMinute: round(wallSeconds > 0 ? (cases / wallSeconds) * 60 : 0),
    submitted,
    terminalFails: fails.length,
    terminalFailRate: round(failRate, 4),
    terminalFailsByClass: byClass,
    unclassifiedFailures: unclassified,
    unclassifiedRate: round(fails.length === 0 ? 0 : unclassified / fails.length, 4),
    attemptsPerCase,
    meanAttempts: round(cases === 0 ? 0 : runs.reduce((s, r) => s + r.attempts, 0) / cases, 2),
    p50RunSeconds: round(percentile(durations, 50)),
    p95RunSeconds: round(p95),
    maxRunSeconds: round(maxRun),
    histogram: histogram(durations),
    workerKills: params.workerKills,
    postgresRestarts: params.postgresRestarts,
    recoverySeconds: recoveries.filter((s): s is number => s !== null).map((s) => round(s)),
    recoveryLimitSeconds: params.recoveryLimitSeconds,
    kills: params.kills,
    slowestRuns: params.slowestRuns ?? [],
    invariants: params.invariants,
    night: params.night ?? null,
    workerMemory: summariseWorkerMemory(params.workerRss ?? []),
    healing: params.healing ?? null,
    greenlight: {
      failRateBelow3Percent: failRate < 0.03,
      p95Below5Minutes: p95 < 300,
      maxRunBelow10Minutes: maxRun <= 600,
      everyRecoveryWithinLimit,
      invariantsHold,
      nightKeptItsPromise: nightKept(params.night ?? null),
      passed: failRate < 0.03 && p95 < 300 && maxRun <= 600 && everyRecoveryWithinLimit && invariantsHold && nightKept(params.night ?? null),
    },
  };
}

/** A night keeps its promise when its batch started on time, settled before the deadline, got its digest and every terminal fail its CRM note. No night: nothing to check. */
function nightKept(night: SoakNight | null): boolean {
  if (!night) return true;
  return !night.late && night.finishedBeforeDeadline && night.digestBuilt && night.metSla === true && night.terminalFailsWithCrmNote === night.terminalFails;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function recoverySummary(report: SoakReport): string {
  const values = [...report.recoverySeconds].sort((a, b) => a - b);
  const never = report.kills.reduce((n, k) => n + k.inFlight.filter((r) => r.resumedAfterSeconds === null).length, 0);
  if (values.length === 0 && never === 0) return "—";
  const parts = values.length > 0 ? [`p50 ${percentile(values, 50)} s`, `p95 ${percentile(values, 95)} s`, `max ${values.at(-1)} s`] : [];
  if (never > 0) parts.push(`${never} never`);
  return parts.join(" / ");
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/** A readable Markdown page, with the latency histogram as text bars. */
function nightRows(night: SoakNight, yes: (ok: boolean) => string): string[] {
  return [
    `| night | ${night.nightKey ?? "—"}: slot ${night.scheduledFor ?? "—"}, started ${night.batchStartedAt ?? "—"}${night.backfilled ? " (backfilled)" : ""}${night.late ? " (late)" : ""} |`,
    `| settled before the deadline | ${night.batchFinishedAt ?? "—"} vs ${night.deadline ?? "—"} ${yes(night.finishedBeforeDeadline)} |`,
    `| morning digest | ${night.digestBuilt ? `built, ${night.digestGroups} groups, SLA ${night.metSla ? "met" : "missed"}` : "not built"} ${yes(night.digestBuilt && night.metSla === true)} |`,
    `| digest headline | ${night.headline ?? "—"} |`,
    `| CRM notes on terminal fails | ${night.terminalFailsWithCrmNote} of ${night.terminalFails} ${yes(night.terminalFailsWithCrmNote === night.terminalFails)} |`,
  ];
}

/**
 * Growth is judged on the worker's own process (< 10 %); the Chromium share is shown beside it.
 * Only one worker that lived through the whole soak can be judged: when chaos kills restarted it,
 * start and end are different processes (each young, so warm-up dominates), and the row says so.
 */
function memoryRow(m: SoakWorkerMemory, yes: (ok: boolean) => string): string {
  const signed = (n: number) => `${n >= 0 ? "+" : ""}${n} %`;
  const verdict = m.processes === 1 ? `${yes(m.growthPercent < 10)} < 10 %` : "(not judged: the worker was restarted; --chaos none for the verdict)";
  return `| worker RSS start → end | ${m.startRssMiB} → ${m.endRssMiB} MiB (${signed(m.growthPercent)}) ${verdict}; with Chromium ${m.startTreeRssMiB} → ${m.endTreeRssMiB} MiB (${signed(m.treeGrowthPercent)}); peak ${m.peakRssMiB} / ${m.peakTreeRssMiB} MiB; ${m.processes} worker process(es), most growth within one ${signed(m.maxGrowthWithinOneProcessPercent)}; ${m.samples} samples |`;
}

function healingRow(h: SoakHealing): string {
  const cost = h.llmCostUsd > 0 ? ` ($${h.llmCostUsd.toFixed(4)})` : "";
  return `| replay and healing | ${h.primaryHits} verified locator hits, ${h.cacheHits} cache hits, ${h.healed} heals (${h.healedByModel} by the model), ${h.overlaysDismissed} overlays dismissed; ${h.healsProposed} proposals; ${h.llmCalls} LLM calls${cost}; ${h.awaitingApproval} runs awaiting approval |`;
}

export function renderMarkdown(report: SoakReport): string {
  const maxCount = Math.max(1, ...report.histogram.map((b) => b.count));
  const bars = report.histogram.map((b) => `${`${b.fromSeconds}–${b.toSeconds} s`.padEnd(12)} ${"█".repeat(Math.max(b.count > 0 ? 1 : 0, Math.round((b.count / maxCount) * 40)))} ${b.count}`);
  const inv = report.invariants;
  const yes = (ok: boolean) => (ok ? "✅" : "❌");
  return [
    `# Soak report — ${report.greenlight.passed ? "PASSED" : "FAILED"}`,
    "",
    `${report.startedAt} → ${report.finishedAt} · options: \`${JSON.stringify(report.options)}\``,
    "",
    "| figure | value |",
    "|---|---|",
    `| cases | ${report.cases.toLocaleString("en-US")} |`,
    `| wall time | ${report.wallSeconds} s |`,
    `| throughput | ${report.throughputPerMinute} cases/min |`,
    `| submitted | ${report.submitted.toLocaleString("en-US")} |`,
    `| terminal fail rate | ${pct(report.terminalFailRate)} (${report.terminalFails}) ${yes(report.greenlight.failRateBelow3Percent)} < 3 % |`,
    `| terminal fails by class | ${Object.entries(report.terminalFailsByClass).map(([k, v]) => `${k}: ${v}`).join(", ") || "—"} |`,
    `| unclassified failures | ${report.unclassifiedFailures} (${pct(report.unclassifiedRate)} of failures) |`,
    `| attempts per case | ${Object.entries(report.attemptsPerCase).map(([k, v]) => `${k}×: ${v}`).join(", ")} (mean ${report.meanAttempts}) |`,
    `| run p50 / p95 / max | ${report.p50RunSeconds} s / ${report.p95RunSeconds} s ${yes(report.greenlight.p95Below5Minutes)} < 300 s / ${report.maxRunSeconds} s ${yes(report.greenlight.maxRunBelow10Minutes)} ≤ 600 s |`,
    `| worker kills (SIGKILL) | ${report.workerKills} (${report.kills.reduce((n, k) => n + k.inFlight.length, 0)} runs in flight) |`,
    `| recovery per in-flight run | ${recoverySummary(report)} ${yes(report.greenlight.everyRecoveryWithinLimit)} every one ≤ ${report.recoveryLimitSeconds} s |`,
    `| Postgres restarts | ${report.postgresRestarts} |`,
    `| lost cases | ${inv.lostCases.length} ${yes(inv.lostCases.length === 0)} |`,
    `| duplicate portal filings | ${inv.duplicatePortalFilings} ${yes(inv.duplicatePortalFilings === 0)} |`,
    `| duplicate CRM effects | ${inv.duplicateCrmEffects} ${yes(inv.duplicateCrmEffects === 0)} |`,
    ...(report.workerMemory ? [memoryRow(report.workerMemory, yes)] : []),
    ...(report.healing ? [healingRow(report.healing)] : []),
    ...(report.night ? nightRows(report.night, yes) : []),
    "",
    "## Run latency (first attempt → outcome; retries, backoff and crash recovery included)",
    "",
    "```",
    ...bars,
    "```",
    ...(inv.lostCases.length > 0 ? ["", "## Lost cases", "", ...inv.lostCases.slice(0, 50).map((c) => `- ${c}`)] : []),
    ...(report.kills.length > 0
      ? [
          "",
          "## Kills",
          "",
          "| killed at | pid | runs in flight → worked on again after |",
          "|---|---|---|",
          ...report.kills.map((k) => `| ${k.at} | ${k.pid} | ${k.inFlight.map((r) => `${r.caseReference} → ${r.resumedAfterSeconds === null ? "never" : `${round(r.resumedAfterSeconds)} s`}`).join(", ") || "—"} |`),
        ]
      : []),
    ...(report.slowestRuns.length > 0
      ? [
          "",
          "## Slowest runs",
          "",
          ...report.slowestRuns.flatMap((r) => [
            `- **${r.caseReference}** (${r.status}, ${r.seconds} s, run ${r.runId})`,
            ...r.attempts.map((a) => `  - attempt ${a.number}: ${a.status}${a.code ? ` (${a.code})` : ""} · ${a.startedAt} → ${a.finishedAt ?? "—"} · ${a.workerId ?? "—"}`),
          ]),
        ]
      : []),
    "",
  ].join("\n");
}

/** The same report as a small standalone HTML page with an SVG histogram. */
export function renderHtml(report: SoakReport): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  const maxCount = Math.max(1, ...report.histogram.map((b) => b.count));
  const barWidth = 36;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${report.histogram.length * (barWidth + 6) + 40}" height="220" role="img" aria-label="Run latency histogram">${report.histogram
    .map((b, i) => {
      const h = Math.round((b.count / maxCount) * 160);
      const x = 30 + i * (barWidth + 6);
      return `<rect x="${x}" y="${180 - h}" width="${barWidth}" height="${h}" fill="#6366f1" rx="3"/><text x="${x + barWidth / 2}" y="${175 - h}" font-size="11" text-anchor="middle">${b.count}</text><text x="${x + barWidth / 2}" y="196" font-size="10" text-anchor="middle">${b.fromSeconds}s</text>`;
    })
    .join("")}</svg>`;
  const body = renderMarkdown(report)
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| figure") )
    .map((line) => {
      const cells = line.split("|").slice(1, -1).map((c) => c.trim());
      return `<tr><th>${esc(cells[0] ?? "")}</th><td>${esc(cells[1] ?? "")}</td></tr>`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nightshift soak report</title><style>body{font:14px/1.5 system-ui,sans-serif;margin:32px;color:#18181b}table{border-collapse:collapse}th,td{text-align:left;padding:4px 12px;border-bottom:1px solid #e4e4e7;font-variant-numeric:tabular-nums}th{font-weight:500;color:#52525b}</style></head><body><h1>Soak report — ${report.greenlight.passed ? "passed" : "failed"}</h1><p>${esc(report.startedAt)} → ${esc(report.finishedAt)}</p><table>${body}</table><h2>Run latency</h2>${svg}</body></html>`;
}
