import type { CheckOutcome, DoctorCheck, DoctorContext, DoctorReport } from "./types";

export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

class CheckTimeout extends Error {}

/** Runs every check at once, each bounded by its timeout; a thrown error is a fail with its message. */
export async function runDoctor(checks: readonly DoctorCheck[], context: DoctorContext): Promise<DoctorReport> {
  const outcomes = await Promise.all(checks.map((check) => runCheck(check, context)));
  return { env: context.env.NIGHTSHIFT_ENV, checkedAt: context.now().toISOString(), ok: outcomes.every((o) => o.status !== "fail"), checks: outcomes };
}

async function runCheck(check: DoctorCheck, context: DoctorContext): Promise<CheckOutcome> {
  const started = performance.now();
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      Promise.resolve().then(() => check.run(context)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
      }),
    ]);
    return { id: check.id, label: check.label, ...result, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const sentence = error instanceof CheckTimeout ? `No answer within ${timeoutMs / 1000} s.` : `The check could not run: ${error instanceof Error ? error.message : String(error)}`;
    return { id: check.id, label: check.label, status: "fail", sentence, fix: "Run npm run doctor on the host for details.", durationMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
