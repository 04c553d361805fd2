import { and, eq, sql } from "drizzle-orm";
import { heals, resolvedActions } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";

/**
 * What a person's approval does to the replay cache, for tests that exercise the worker side
 * without the review queue: every proposed heal of the portal becomes approved and its target
 * changes become resolved actions. Returns the approved heals' ids.
 */
export async function approveProposedHeals(db: Db, oemId: string): Promise<string[]> {
  const proposed = await db.select().from(heals).where(and(eq(heals.oemId, oemId), eq(heals.status, "proposed")));
  for (const heal of proposed) {
    await db.transaction(async (tx) => {
      const [top] = await tx.select({ v: sql<number>`coalesce(max(${heals.version}), 0)` }).from(heals).where(eq(heals.oemId, oemId));
      await tx.update(heals).set({ status: "approved", version: Number(top?.v ?? 0) + 1, decidedBy: "test", decidedAt: sql`now()` }).where(eq(heals.id, heal.id));
      for (const change of heal.changes) {
        if (change.kind !== "target") continue;
        await tx
          .insert(resolvedActions)
          .values({ oemId, adapterVersion: heal.adapterVersion, targetId: change.targetId, pageFingerprint: change.pageFingerprint, recipe: change.recipe, fingerprint: change.after, healId: heal.id })
          .onConflictDoUpdate({
            target: [resolvedActions.oemId, resolvedActions.adapterVersion, resolvedActions.targetId, resolvedActions.pageFingerprint],
            set: { recipe: change.recipe, fingerprint: change.after, healId: heal.id },
          });
      }
    });
  }
  return proposed.map((h) => h.id);
}
