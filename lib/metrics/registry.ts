/**
 * The Prometheus registry of /api/metrics (prom-client), kept on `globalThis`: Next.js loads each
 * route bundle separately, and a second registry would register every name twice. The metrics
 * hold no state of their own: each scrape sets them from the figures just read from Postgres.
 */
import { Counter, Gauge, Registry, type Metric, type MetricValue } from "prom-client";
import { ATTEMPT_DURATION_BUCKETS, type DurationHistogram } from "./attempt-totals";
import { JOB_STATES, type MetricFigures } from "./read-figures";

/**
 * A histogram whose buckets come from SQL (cumulative counts per portal), not from `observe()`:
 * prom-client's Histogram cannot be set, so this renders the same `_bucket`/`_sum`/`_count` lines.
 */
class SnapshotHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private snapshot: DurationHistogram[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly label: string,
  ) {}

  set(histograms: DurationHistogram[]): void {
    this.snapshot = histograms;
  }

  reset(): void {
    this.snapshot = [];
  }

  get() {
    const values: Array<MetricValue<string> & { metricName: string }> = [];
    for (const h of this.snapshot) {
      const labels = { [this.label]: h.oemId };
      ATTEMPT_DURATION_BUCKETS.forEach((le, i) => values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: h.buckets[i] ?? 0 }));
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: "+Inf" }, value: h.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: h.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: h.count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}

function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const metrics = {
    registry,
    queueJobs: new Gauge({ name: "nightshift_queue_jobs", help: `graphile-worker jobs by task and state (${JOB_STATES.join(", ")}).`, labelNames: ["task", "state"] as const, registers }),
    runs: new Gauge({ name: "nightshift_runs", help: "Runs by status (all batches and urgent runs).", labelNames: ["status"] as const, registers }),
    attempts: new Counter({
      name: "nightshift_attempts_total",
      help: "Finished attempts by portal, status and error class (error_class=\"none\" for attempts without one).",
      labelNames: ["oem", "status", "error_class"] as const,
      registers,
    }),
    attemptDuration: new SnapshotHistogram("nightshift_attempt_duration_seconds", "Duration of finished attempts per portal, from start to finish, in seconds.", "oem"),
    outbox: new Gauge({ name: "nightshift_crm_outbox_entries", help: "CRM write-backs by status (pending, delivered, failed).", labelNames: ["status"] as const, registers }),
    crmLag: new Gauge({ name: "nightshift_crm_delivery_lag_seconds", help: "Age of the oldest CRM write-back not yet delivered, in seconds (0 when none waits).", registers }),
    portalSessions: new Gauge({ name: "nightshift_portal_sessions", help: "Portal session slots held by workers, busy (an attempt runs) or idle (a signed-in session kept for reuse).", labelNames: ["oem", "state"] as const, registers }),
    workersAlive: new Gauge({ name: "nightshift_workers_alive", help: "Workers whose heartbeat is fresh.", registers }),
    workerSlots: new Gauge({ name: "nightshift_worker_job_slots", help: "Jobs the live workers can run at once (sum of their WORKER_CONCURRENCY).", registers }),
    batchInfo: new Gauge({ name: "nightshift_current_batch_info", help: "The current batch (the running one, else the latest): always 1, its id, trigger and status as labels; the other nightshift_current_batch_* series carry its batch_id.", labelNames: ["batch_id", "trigger", "status"] as const, registers }),
    batchRuns: new Gauge({ name: "nightshift_current_batch_runs", help: "Runs of the current batch by status.", labelNames: ["batch_id", "status"] as const, registers }),
    batchRemaining: new Gauge({ name: "nightshift_current_batch_remaining_runs", help: "Open runs of the current batch (queued, running, waiting for a retry).", labelNames: ["batch_id"] as const, registers }),
    batchProgress: new Gauge({ name: "nightshift_current_batch_progress_ratio", help: "Share of the current batch's runs that are no longer open (0 to 1).", labelNames: ["batch_id"] as const, registers }),
    batchThroughput: new Gauge({ name: "nightshift_current_batch_throughput_runs_per_second", help: "Runs of the current batch finished per second (sliding window); absent before the first finish.", labelNames: ["batch_id"] as const, registers }),
    batchProjected: new Gauge({ name: "nightshift_current_batch_projected_finish_timestamp_seconds", help: "When the current batch is projected to finish, as Unix time; absent when nothing is left or nothing has finished yet.", labelNames: ["batch_id"] as const, registers }),
    batchDeadline: new Gauge({ name: "nightshift_current_batch_deadline_timestamp_seconds", help: "The current batch's deadline, as Unix time; absent without one.", labelNames: ["batch_id"] as const, registers }),
    batchAtRisk: new Gauge({ name: "nightshift_current_batch_at_risk", help: "1 when the current batch is projected to miss its deadline, else 0.", labelNames: ["batch_id"] as const, registers }),
    scrapeDuration: new Gauge({ name: "nightshift_metrics_scrape_duration_seconds", help: "How long reading these figures from Postgres took, in seconds.", registers }),
  };
  registry.registerMetric(metrics.attemptDuration as unknown as Metric);
  return metrics;
}

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as typeof globalThis & { nightshiftMetrics?: Metrics };

function metrics(): Metrics {
  return (globalForMetrics.nightshiftMetrics ??= createMetrics());
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Sets every metric from the figures and renders the registry (the caller serialises scrapes). */
export async function renderMetrics(figures: MetricFigures, scrapeSeconds: number): Promise<string> {
  const m = metrics();
  m.registry.resetMetrics();
  for (const job of figures.jobs) m.queueJobs.set({ task: job.task, state: job.state }, job.count);
  for (const run of figures.runs) m.runs.set({ status: run.status }, run.count);
  for (const a of figures.attempts.counts) m.attempts.inc({ oem: a.oemId, status: a.status, error_class: a.errorClass ?? "none" }, a.count);
  m.attemptDuration.set(figures.attempts.durations);
  for (const o of figures.outbox) m.outbox.set({ status: o.status }, o.count);
  m.crmLag.set(figures.oldestPendingOutboxSeconds);
  for (const s of figures.portalSessions) m.portalSessions.set({ oem: s.oemId, state: s.state }, s.count);
  m.workersAlive.set(figures.workersAlive);
  m.workerSlots.set(figures.workerJobSlots);
  const batch = figures.currentBatch;
  if (batch) {
    m.batchInfo.set({ batch_id: batch.batchId, trigger: batch.trigger, status: batch.status }, 1);
    const id = { batch_id: batch.batchId };
    for (const [status, count] of Object.entries(batch.runs)) m.batchRuns.set({ ...id, status }, count ?? 0);
    m.batchRemaining.set(id, batch.remaining);
    m.batchProgress.set(id, batch.total === 0 ? 0 : (batch.total - batch.remaining) / batch.total);
    if (batch.throughputPerSecond !== null) m.batchThroughput.set(id, batch.throughputPerSecond);
    if (batch.projectedFinish !== null) m.batchProjected.set(id, batch.projectedFinish);
    if (batch.deadline !== null) m.batchDeadline.set(id, batch.deadline);
    m.batchAtRisk.set(id, batch.atRisk ? 1 : 0);
  }
  m.scrapeDuration.set(scrapeSeconds);
  return m.registry.metrics();
}
