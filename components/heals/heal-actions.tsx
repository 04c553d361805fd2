"use client";

import { useState } from "react";
import { Check, Undo2, X } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { ApiRequestError, errorMessage, postJson } from "@/components/query/fetch-json";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { formatCountOf } from "@/lib/format/number";
import type { ApproveHealResult, RejectHealResult, RevertHealResult } from "@/lib/heals/decide-heal";
import { healNoteRequestSchema, MAX_HEAL_NOTE_LENGTH, rejectHealRequestSchema } from "@/lib/heals/heal-requests";
import { healKeys } from "./heals-query";

type Action = "approve" | "reject" | "revert";

interface ActionCopy {
  label: string;
  pending: string;
  title: string;
  description: (waiting: number) => string;
  noteLabel: string;
  noteHint: string;
  placeholder: string;
  confirm: string;
  icon: typeof Check;
  variant: "default" | "destructive" | "outline";
}

const COPY: Record<Action, ActionCopy> = {
  approve: {
    label: "Approve",
    pending: "Approving…",
    title: "Approve this change?",
    description: (waiting) =>
      `It becomes the portal's current way to find these elements (a new version; revertible), and replay uses it before the adapter's own locators.${waiting > 0 ? ` ${formatCountOf(waiting, "run")} waiting for it ${waiting === 1 ? "is" : "are"} queued again and will submit.` : ""}`,
    noteLabel: "Note (optional)",
    noteHint: "Kept in the audit log.",
    placeholder: "e.g. Checked on the portal: Send claim is the new submit",
    confirm: "Approve change",
    icon: Check,
    variant: "default",
  },
  reject: {
    label: "Reject",
    pending: "Rejecting…",
    title: "Reject this change?",
    description: (waiting) =>
      `Nothing reaches the replay cache.${waiting > 0 ? ` ${formatCountOf(waiting, "run")} waiting for it ${waiting === 1 ? "is" : "are"} parked for engineering, with your note on the failure card.` : ""}`,
    noteLabel: "Why is it wrong?",
    noteHint: "Engineering reads it on the parked runs; kept in the audit log.",
    placeholder: "e.g. Send claim opens a different form",
    confirm: "Reject change",
    icon: X,
    variant: "destructive",
  },
  revert: {
    label: "Revert",
    pending: "Reverting…",
    title: "Revert this approved change?",
    description: () => "Its resolutions leave the replay cache; an earlier approved version of the same elements comes back where there is one. The next runs find these elements afresh and may propose a heal again.",
    noteLabel: "Note (optional)",
    noteHint: "Kept in the audit log.",
    placeholder: "e.g. The portal rolled back its redesign",
    confirm: "Revert change",
    icon: Undo2,
    variant: "destructive",
  },
};

function successMessage(action: Action, result: ApproveHealResult | RejectHealResult | RevertHealResult, label: string): string {
  if (action === "approve") {
    const r = result as ApproveHealResult;
    return `${label} heal approved as version ${r.version}${r.requeuedRunIds.length > 0 ? `: ${formatCountOf(r.requeuedRunIds.length, "run")} queued again` : ""}.`;
  }
  if (action === "reject") {
    const r = result as RejectHealResult;
    return `${label} heal rejected${r.parkedRunIds.length > 0 ? `: ${formatCountOf(r.parkedRunIds.length, "run")} parked for engineering` : ""}.`;
  }
  const r = result as RevertHealResult;
  return `${label} heal reverted${r.restored.length > 0 ? `: ${formatCountOf(r.restored.length, "earlier resolution")} restored` : ""}.`;
}

/** One review action on a heal (POST /api/heals/:id/approve|reject|revert), confirmed in a dialog with a note (required to reject). */
export function HealActionButton({ action, healId, oemLabel, waitingRuns = 0, size = "sm" }: { action: Action; healId: string; oemLabel: string; waitingRuns?: number; size?: "sm" | "default" }) {
  const copy = COPY[action];
  const queryClient = useQueryClient();
  const permission = usePermission("ops");
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const mutation = useMutation({
    mutationFn: (body: { note?: string }) => postJson<ApproveHealResult | RejectHealResult | RevertHealResult>(`/api/heals/${healId}/${action}`, body, { fallback: `Could not ${action} the heal.` }),
    onSuccess: async (result) => {
      toast.success(successMessage(action, result, oemLabel));
      setOpen(false);
      setNote("");
      await queryClient.invalidateQueries({ queryKey: healKeys.all });
    },
    onError: async (error) => {
      const field = error instanceof ApiRequestError ? error.fields.note?.[0] : undefined;
      if (field) {
        setFieldError(field);
        return;
      }
      toast.error(errorMessage(error, `Could not ${action} the heal.`));
      setOpen(false);
      // Someone else decided it meanwhile (409): show the queue as it is now.
      if (error instanceof ApiRequestError && error.status === 409) await queryClient.invalidateQueries({ queryKey: healKeys.all });
    },
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    // The API's own schemas, checked before sending.
    const parsed = action === "reject" ? rejectHealRequestSchema.safeParse({ note }) : healNoteRequestSchema.safeParse({ note: note.trim() === "" ? undefined : note });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message);
      return;
    }
    setFieldError(undefined);
    mutation.mutate(parsed.data);
  };

  const Icon = copy.icon;
  const trigger = (
    <Button size={size} variant={action === "approve" ? "default" : "outline"}>
      <Icon aria-hidden /> {copy.label}
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  const id = `heal-${action}-note-${healId}`;
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setFieldError(undefined);
      }}
    >
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <form onSubmit={submit} className="grid gap-4" aria-label={`${copy.label} the ${oemLabel} heal`} noValidate>
          <AlertDialogHeader>
            <AlertDialogTitle>{copy.title}</AlertDialogTitle>
            <AlertDialogDescription>{copy.description(waitingRuns)}</AlertDialogDescription>
          </AlertDialogHeader>
          <Field label={copy.noteLabel} htmlFor={id} hint={copy.noteHint} error={fieldError}>
            {(aria) => <Textarea {...aria} value={note} onChange={(event) => setNote(event.target.value)} maxLength={MAX_HEAL_NOTE_LENGTH} placeholder={copy.placeholder} autoFocus />}
          </Field>
          <AlertDialogFooter>
            <AlertDialogCancel type="button">Keep it as it is</AlertDialogCancel>
            <Button type="submit" variant={copy.variant} disabled={mutation.isPending}>
              <Icon aria-hidden /> {mutation.isPending ? copy.pending : copy.confirm}
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
