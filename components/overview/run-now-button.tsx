"use client";

import { Rocket } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { formatCountOf } from "@/lib/format/number";

/** "Run now": plans a manual batch over every pending case (POST /api/batches). */
export function RunNowButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const response = await fetch("/api/batches", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const body = (await response.json().catch(() => null)) as { caseCount?: number; message?: string; error?: { message?: string } } | null;
      if (response.status === 201) {
        toast.success(`Batch started: ${formatCountOf(body?.caseCount ?? 0, "case")} queued.`);
        router.refresh();
      } else if (response.ok) {
        toast.info(body?.message ?? "Nothing is pending.");
      } else {
        toast.error(body?.error?.message ?? "Could not start a batch.");
      }
    });
  return (
    <Button size="sm" onClick={run} disabled={pending}>
      <Rocket aria-hidden />
      {pending ? "Starting…" : "Run now"}
    </Button>
  );
}
