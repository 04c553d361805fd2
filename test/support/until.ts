/**
 * Polls `probe` until it returns something truthy, and returns that; throws "condition not met in
 * time" after `timeoutMs`. With `ignoreErrors`, a probe that throws (e.g. a query during a
 * database restart) counts as "not yet".
 */
export async function until<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  options: { intervalMs?: number; ignoreErrors?: boolean } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = options.ignoreErrors ? await Promise.resolve().then(probe).catch(() => undefined) : await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
