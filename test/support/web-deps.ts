/**
 * Tests that call route handlers directly share the web process's singletons (the database pool
 * and the job queue on `globalThis`): this closes and forgets them, so the next file starts fresh.
 */
export async function releaseWebDeps(): Promise<void> {
  const shared = (globalThis as { nightshiftDb?: { close(): Promise<void> } }).nightshiftDb;
  await shared?.close();
  delete (globalThis as { nightshiftDb?: unknown }).nightshiftDb;
  const deps = (globalThis as { nightshiftWebDeps?: { queue?: Promise<{ release(): Promise<void> }> } }).nightshiftWebDeps;
  await (await deps?.queue?.catch(() => undefined))?.release();
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
}
