"use client";

import { Rocket } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { errorMessage, postJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { formatCountOf } from "@/lib/format/number";
import { overviewKeys } from "./overview-query";

/** What POST /api/batches answers: the planned batch, or no batch when nothing is pending. */
type StartBatchAnswer = { batchId: string; caseCount: number } | { batchId: null; caseCount: 0; message: string };

/** "Run now": plans a manual batch over every pending case (POST /api/batches), then refreshes the overview. */
export function RunNowButton() {
  const queryClient = useQueryClient();
  const runNow = useMutation({
    mutationFn: () => postJson<StartBatchAnswer>("/api/batches", {}, { fallback: "Could not start a batch." }),
    onSuccess: async (answer) => {
      if (answer.batchId === null) toast.info(answer.message);
      else toast.success(`Batch started: ${formatCountOf(answer.caseCount, "case")} queued.`);
      await queryClient.invalidateQueries({ queryKey: overviewKeys.all });
    },
    onError: (error) => toast.error(errorMessage(error, "Could not start a batch.")),
  });
  return (
    <Button size="sm" onClick={() => runNow.mutate()} disabled={runNow.isPending}>
      <Rocket aria-hidden />
      {runNow.isPending ? "Starting…" : "Run now"}
    </Button>
  );
}
