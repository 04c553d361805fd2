"use client";

import { useState } from "react";
import { CircleSlash } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { errorMessage, postJson } from "@/components/query/fetch-json";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { batchKeys } from "./batches-api";

/** Cancel a batch: queued runs are cancelled with the reason, running attempts finish, cases go back to pending. */
export function CancelBatchButton({ batchId, open }: { batchId: string; open: number }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const cancel = useMutation({
    mutationFn: () => postJson<unknown>(`/api/batches/${batchId}/cancel`, { reason: reason.trim() || undefined }, { fallback: "The batch could not be cancelled." }),
    onSuccess: async () => {
      toast.success("Batch cancelled. Its open cases are back to pending for the next night.");
      await queryClient.invalidateQueries({ queryKey: batchKeys.all });
    },
    onError: (error) => toast.error(errorMessage(error, "The batch could not be cancelled.")),
  });
  const permission = usePermission("ops");
  const trigger = (
    <Button variant="outline" size="sm" disabled={cancel.isPending}>
      <CircleSlash aria-hidden /> Cancel batch
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Cancel this batch?</AlertDialogTitle>
          <AlertDialogDescription>
            {open > 0 ? `${open} open ${open === 1 ? "case goes" : "cases go"} back to pending for the next night.` : "Nothing is open any more."} Runs in progress finish or stop cleanly; nothing
            filed so far is undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <div className="flex flex-col gap-2">
          <label htmlFor="cancel-reason" className="text-sm font-medium">
            Reason (kept with the batch)
          </label>
          <Input id="cancel-reason" value={reason} onChange={(event) => setReason(event.target.value)} maxLength={200} placeholder="e.g. Corvid portal maintenance tonight" />
        </div>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep running</AlertDialogCancel>
          <AlertDialogAction onClick={() => cancel.mutate()}>Cancel batch</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
