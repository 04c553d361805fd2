"use client";

import { useState } from "react";
import { Pause } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { ApiRequestError, errorMessage, postJson } from "@/components/query/fetch-json";
import { overviewKeys } from "@/components/overview/overview-query";
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
import { MAX_PAUSE_REASON_LENGTH, pausePortalRequestSchema } from "@/lib/portals/pause-request";
import { portalKeys } from "./portals-query";

/** Pause a portal by hand (POST /api/portals/:oem/pause) with a reason: its queued cases wait until ops resume it. */
export function PausePortalButton({ oemId, label }: { oemId: string; label: string }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const pause = useMutation({
    mutationFn: (body: { reason: string }) => postJson<{ ok: true }>(`/api/portals/${encodeURIComponent(oemId)}/pause`, body, { fallback: `Could not pause ${label}.` }),
    onSuccess: async () => {
      toast.success(`${label} paused: its queued cases wait until you resume it.`);
      setOpen(false);
      setReason("");
      await Promise.all([queryClient.invalidateQueries({ queryKey: portalKeys.all }), queryClient.invalidateQueries({ queryKey: overviewKeys.all })]);
    },
    onError: (error) => {
      const field = error instanceof ApiRequestError ? error.fields.reason?.[0] : undefined;
      if (field) setFieldError(field);
      else toast.error(errorMessage(error, `Could not pause ${label}.`));
    },
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    // The API's own schema, checked before sending; the API answers the same message in error.fields.
    const parsed = pausePortalRequestSchema.safeParse({ reason });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message);
      return;
    }
    setFieldError(undefined);
    pause.mutate(parsed.data);
  };

  const id = `pause-reason-${oemId}`;
  const permission = usePermission("ops");
  const trigger = (
    <Button size="sm" variant="outline">
      <Pause aria-hidden /> Pause
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
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
        <form onSubmit={submit} className="grid gap-4" aria-label={`Pause ${label}`} noValidate>
          <AlertDialogHeader>
            <AlertDialogTitle>Pause {label}?</AlertDialogTitle>
            <AlertDialogDescription>
              No new attempt starts on this portal until it is resumed; attempts under way finish. Its queued cases keep their place and the overview shows the pause to everyone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <Field label="Reason" htmlFor={id} hint="Shown on the overview and kept in the audit log." error={fieldError}>
            {(aria) => (
              <Textarea
                {...aria}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                maxLength={MAX_PAUSE_REASON_LENGTH}
                placeholder="e.g. Portal maintenance announced for tonight"
                autoFocus
              />
            )}
          </Field>
          <AlertDialogFooter>
            <AlertDialogCancel type="button">Keep filing</AlertDialogCancel>
            <Button type="submit" variant="destructive" disabled={pause.isPending}>
              <Pause aria-hidden /> {pause.isPending ? "Pausing…" : "Pause portal"}
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
