// A large, realistic history for bench:ui, written set-based (generate_series) into a fresh
// database: N nightly batches (one per local night, 01:30 America/Chicago), one case and one run
// per case spread over them and the three OEMs, 1–5 attempts per run (3 on average), steps, and
// artifact rows (no files). About 5 % of runs end in a terminal fail drawn from a fixed set of
// failure templates (each with its real fingerprint and reason sentence), the rest are submitted.
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import type { ErrorClass } from "@/lib/domain/vocabulary";
import { OEM_CATALOG, OEM_IDS } from "@/lib/oems/catalog";
import { failureFingerprint, nextActionFor, reasonSentence } from "@/lib/runs/failure";
import { terminalStatusFor } from "@/lib/runs/taxonomy";

export interface SeedHistoryOptions {
  runs: number;
  nights: number;
  /** Per mille of runs that end in a terminal fail. */
  failPerMille?: number;
}

export interface SeededHistory {
  runs: number;
  attempts: number;
  artifacts: number;
  batches: number;
  /** Ids the bench visits: a failed case, the newest batch, a failure fingerprint. */
  sample: { failedCaseId: string; submittedCaseId: string; latestBatchId: string; fingerprint: string; reference: string };
}

const FAILURES: ReadonlyArray<{ errorClass: ErrorClass; code: string; step: string; message: string }> = [
  { errorClass: "portal_rejected", code: "invalid_field", step: "submit", message: "Mileage must not be lower than the previous claim" },
  { errorClass: "portal_rejected", code: "duplicate", step: "submit", message: "A claim for this unit and date already exists" },
  { errorClass: "site_changed", code: "selector_missing", step: "fill_claim", message: 'Expected element not found: "#component-category"' },
  { errorClass: "site_flake", code: "navigation_timeout", step: "open_form", message: "Navigation timeout of 30000 ms exceeded" },
  { errorClass: "adapter_bug", code: "adapter_exception", step: "map_case", message: "Cannot read properties of undefined (reading 'value')" },
  { errorClass: "auth", code: "credentials_refused", step: "login", message: "Invalid username or password" },
  { errorClass: "infra", code: "browser_crash", step: "fill_claim", message: "Target page, context or browser has been closed" },
];

const STEPS = ["login", "check_existing", "open_form", "fill_claim", "submit", "confirm"];

export async function seedHistory(db: Db, options: SeedHistoryOptions): Promise<SeededHistory> {
  const failPerMille = options.failPerMille ?? 50;
  // Template n = OEM index × failures + failure index (the SQL below picks it the same way).
  const templates = OEM_IDS.flatMap((oemId, oemIndex) => {
    const label = OEM_CATALOG.find((o) => o.id === oemId)!.label;
    return FAILURES.map((f, failureIndex) => ({
      n: oemIndex * FAILURES.length + failureIndex,
      oem_id: oemId,
      error_class: f.errorClass,
      code: f.code,
      step: f.step,
      status: terminalStatusFor(f.errorClass),
      reason: reasonSentence({ oemLabel: label, errorClass: f.errorClass, message: f.message, failingStep: f.step }),
      next_action: nextActionFor(f.errorClass),
      fingerprint: failureFingerprint({ oemId, step: f.step, code: f.code, message: f.message }),
      message: f.message,
    }));
  });
  const steps = JSON.stringify(STEPS.map((name, i) => ({ name, status: "ok", startedAt: "2026-01-01T00:00:00.000Z", durationMs: 400 + i * 150 })));

  await db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`
      create temporary table seed_templates on commit drop as
      select t.* from jsonb_to_recordset(${JSON.stringify(templates)}::jsonb)
        as t(n int, oem_id text, error_class text, code text, step text, status text, reason text, next_action text, fingerprint text, message text)`);
    // Nights: the newest is the last 01:30 America/Chicago slot before now.
    await tx.execute(sql`
      create temporary table seed_nights on commit drop as
      with last_slot as (
        select (date_trunc('day', (now() at time zone 'America/Chicago') - interval '1 hour 30 minutes') + interval '1 hour 30 minutes') at time zone 'America/Chicago' as at
      )
      select n, gen_random_uuid() as batch_id, (select at from last_slot) - make_interval(days => n) as slot
      from generate_series(0, ${options.nights - 1}) as n`);
    await tx.execute(sql`
      insert into batches (id, trigger, status, deadline, night_key, scheduled_for, case_count, created_by, started_at, finished_at, created_at, met_sla, digest_built_at)
      select batch_id, 'cron', 'finished', slot + interval '5 hours 30 minutes', to_char(slot at time zone 'America/Chicago', 'YYYY-MM-DD'), slot,
             0, 'schedule', slot, slot + interval '3 hours' + (n % 7) * interval '25 minutes', slot, (n % 11) <> 3, slot + interval '5 hours 30 minutes'
      from seed_nights`);
    // One case and one run per i; night = i mod nights, OEM = i mod 3; fails where hash(i) mod 1000 < failPerMille.
    await tx.execute(sql`
      create temporary table seed_runs on commit drop as
      select i, gen_random_uuid() as case_id, gen_random_uuid() as run_id, nn.batch_id, nn.slot,
             (${sql.raw(`array[${OEM_IDS.map((id) => `'${id}'`).join(",")}]`)})[1 + i % ${OEM_IDS.length}] as oem_id,
             1 + (i * 7 + i / 3) % 5 as attempts,
             case when abs(hashint4(i)) % 1000 < ${failPerMille} then (i % ${OEM_IDS.length}) * ${FAILURES.length} + abs(hashint4(i + 1)) % ${FAILURES.length} end as template,
             nn.slot + ((i / ${options.nights}) % 3000) * interval '4 seconds' as started_at
      from generate_series(0, ${options.runs - 1}) as i
      join seed_nights nn on nn.n = i % ${options.nights}`);
    await tx.execute(sql`
      insert into cases (id, crm_id, reference, oem_id, kind, form_data, crm_status, status, confirmation_number, created_at, updated_at)
      select r.case_id, 'bench-' || r.i, 'NS-B' || lpad(r.i::text, 7, '0'), r.oem_id, 'warranty_claim', '{}'::jsonb,
             coalesce(case when t.status = 'needs_review' then 'needs_review' else 'failed' end, 'submitted'),
             coalesce(t.status, 'submitted'),
             case when t.n is null then upper(left(r.oem_id, 3)) || '-' || (100000 + r.i) end,
             r.started_at - interval '1 day', r.started_at + r.attempts * interval '9 seconds'
      from seed_runs r left join seed_templates t on t.n = r.template`);
    await tx.execute(sql`
      insert into runs (id, case_id, batch_id, status, attempt_count, max_attempts, confirmation_number, error_class, error_code, failure, fingerprint, started_at, finished_at, created_at, updated_at)
      select r.run_id, r.case_id, r.batch_id, coalesce(t.status, 'submitted'), r.attempts, 5,
             case when t.n is null then upper(left(r.oem_id, 3)) || '-' || (100000 + r.i) end,
             t.error_class, t.code,
             case when t.n is not null then jsonb_build_object(
               'reason', t.reason, 'errorClass', t.error_class, 'code', t.code, 'lastGoodStep', 'login', 'failingStep', t.step,
               'attempts', '[]'::jsonb,
               'evidence', jsonb_build_object('screenshot', 'runs/' || r.run_id || '/' || r.attempts || '/failure.png', 'dom', 'runs/' || r.run_id || '/' || r.attempts || '/dom.html', 'trace', 'runs/' || r.run_id || '/' || r.attempts || '/trace.zip'),
               'portalUrl', null, 'fingerprint', t.fingerprint, 'nextAction', t.next_action) end,
             t.fingerprint,
             r.started_at, r.started_at + r.attempts * interval '9 seconds', r.slot, r.started_at + r.attempts * interval '9 seconds'
      from seed_runs r left join seed_templates t on t.n = r.template`);
    await tx.execute(sql`
      insert into attempts (id, run_id, number, status, worker_id, steps, last_step, error_class, error_code, error_message, queued_at, started_at, finished_at)
      select gen_random_uuid(), r.run_id, a.number,
             case when a.number < r.attempts then 'failed' when t.n is null then 'succeeded' else 'failed' end,
             'bench-worker', ${steps}::jsonb,
             case when a.number = r.attempts and t.n is not null then t.step else 'confirm' end,
             case when a.number < r.attempts then 'site_flake' else t.error_class end,
             case when a.number < r.attempts then 'navigation_timeout' else t.code end,
             case when a.number < r.attempts then 'Navigation timeout of 30000 ms exceeded' else t.message end,
             r.started_at + (a.number - 1) * interval '9 seconds' - interval '2 seconds',
             r.started_at + (a.number - 1) * interval '9 seconds',
             r.started_at + (a.number - 1) * interval '9 seconds' + interval '7 seconds'
      from seed_runs r cross join lateral generate_series(1, r.attempts) as a(number) left join seed_templates t on t.n = r.template`);
    // Evidence rows: the final screenshot of a success; screenshot, DOM and trace of every failed attempt's last one.
    await tx.execute(sql`
      insert into artifacts (run_id, attempt_id, kind, key, content_type, bytes, step, created_at)
      select a.run_id, a.id, k.kind, 'runs/' || a.run_id || '/' || a.number || '/' || k.name, k.content_type, k.bytes, a.last_step, a.finished_at
      from attempts a
      join seed_runs r on r.run_id = a.run_id and a.number = r.attempts
      cross join lateral (values ('screenshot', case when a.status = 'succeeded' then 'final.png' else 'failure.png' end, 'image/png', 48000),
                                 ('dom', 'dom.html', 'text/html', 21000),
                                 ('trace', 'trace.zip', 'application/zip', 310000)) as k(kind, name, content_type, bytes)
      where a.status = 'failed' or k.kind = 'screenshot'`);
    await tx.execute(sql`update batches b set case_count = c.n from (select batch_id, count(*)::int as n from seed_runs group by batch_id) c where c.batch_id = b.id`);
  });
  await db.execute(sql`analyze`);

  const [counts] = await db.execute<{ runs: number; attempts: number; artifacts: number; batches: number }>(sql`
    select (select count(*)::int from runs) as runs, (select count(*)::int from attempts) as attempts,
           (select count(*)::int from artifacts) as artifacts, (select count(*)::int from batches) as batches`);
  const [sample] = await db.execute<SeededHistory["sample"]>(sql`
    select (select case_id::text from runs where fingerprint is not null order by created_at desc limit 1) as "failedCaseId",
           (select case_id::text from runs where status = 'submitted' order by created_at desc limit 1) as "submittedCaseId",
           (select id::text from batches order by scheduled_for desc limit 1) as "latestBatchId",
           (select fingerprint from runs where fingerprint is not null group by fingerprint order by count(*) desc limit 1) as fingerprint,
           (select reference from cases order by created_at desc limit 1) as reference`);
  return { ...counts!, sample: sample! };
}
