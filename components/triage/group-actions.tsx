"use client";

import { useId, useState } from "react";
import { BellOff, CheckCheck, RotateCcw, Tags } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason, RequiresRole } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { ApiRequestError, errorMessage, fetchJson, postJson } from "@/components/query/fetch-json";
import { getErrorClassMeta } from "@/components/runs/error-class-meta";
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
import { Button, buttonVariants } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { ERROR_CLASSES, type ErrorClass } from "@/lib/domain/vocabulary";
import { formatCountOf } from "@/lib/format/number";
import { laneFor } from "@/lib/triage/lanes";
import { LANE_META } from "./lane-meta";
import { triageKeys, type TriageGroupJson } from "./triage-api";

const MAX_TEXT = 500;

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: triageKeys.all });
}

/** The API's message for one field of a refused request. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiRequestError)) return undefined;
  return error.fields[field]?.[0];
}

/** Retry every run of the group after a fix: a confirm dialog, then one bulk action. */
export function RetryGroupButton({ group }: { group: TriageGroupJson }) {
  const refresh = useRefresh();
  const retry = useMutation({
    mutationFn: () => postJson<{ retried: number; skipped: number }>(`/api/triage/groups/${group.groupId}/retry`, undefined, { fallback: "The group could not be retried." }),
    onSuccess: async (result) => {
      const skipped = result.skipped > 0 ? ` ${formatCountOf(result.skipped, "case")} skipped: already queued again or submitted.` : "";
      toast.success(`${formatCountOf(result.retried, "case")} queued again.${skipped}`);
      await refresh();
    },
    onError: (error) => toast.error(errorMessage(error, "The group could not be retried.")),
  });
  const permission = usePermission("ops");
  const trigger = (
    <Button size="sm" disabled={retry.isPending}>
      <RotateCcw aria-hidden /> Retry group
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Retry {formatCountOf(group.count, "case")} in this group?</AlertDialogTitle>
          <AlertDialogDescription>
            Each case gets a fresh run, queued now ahead of the nightly queue. {group.oem.label}&apos;s session limit still applies, so they are filed a few at a time.
            Retry after the cause is fixed, or they will fail the same way again.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Not yet</AlertDialogCancel>
          <AlertDialogAction className={buttonVariants({ variant: "default" })} onClick={() => retry.mutate()}>
            <RotateCcw aria-hidden /> Retry {formatCountOf(group.count, "case")}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Override the class of every run in the group: a native select and a reason, confirmed in a dialog. */
export function ChangeClassButton({ group }: { group: TriageGroupJson }) {
  const id = useId();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const initial = ERROR_CLASSES.find((c) => c !== group.errorClass) ?? "site_flake";
  const [errorClass, setErrorClass] = useState<ErrorClass>(initial);
  const [reason, setReason] = useState("");
  const [localError, setLocalError] = useState<string | undefined>();
  const change = useMutation({
    mutationFn: () => postJson<{ lane: keyof typeof LANE_META }>(`/api/triage/groups/${group.groupId}/class`, { errorClass, reason }, { fallback: "The class could not be changed." }),
    onSuccess: async (result) => {
      toast.success(`Reclassified as ${getErrorClassMeta(errorClass).label.toLowerCase()}: the group is now in the ${LANE_META[result.lane].label} lane.`);
      setOpen(false);
      setReason("");
      await refresh();
    },
    onError: (error) => {
      if (!(error instanceof ApiRequestError) || Object.keys(error.fields).length === 0) toast.error(errorMessage(error, "The class could not be changed."));
    },
  });
  const reasonError = localError ?? fieldError(change.error, "reason");
  const classError = fieldError(change.error, "errorClass");
  const submit = () => {
    if (reason.trim().length < 3) {
      setLocalError("Say why, in a few words");
      return;
    }
    setLocalError(undefined);
    change.mutate();
  };
  const permission = usePermission("ops");
  const trigger = (
    <Button variant="outline" size="sm">
      <Tags aria-hidden /> Change class
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) change.reset();
      }}
    >
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Change the class of this group</AlertDialogTitle>
          <AlertDialogDescription>
            All {formatCountOf(group.count, "run")} in the group get the new class and move to its lane. The group keeps its fingerprint, so new failures of the same kind still join it.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <div className="flex flex-col gap-4">
          <Field label="New class" htmlFor={`${id}-class`} error={classError} hint={`Now: ${group.errorClass ? getErrorClassMeta(group.errorClass).label : "unclassified"}`}>
            {(aria) => (
              <NativeSelect {...aria} value={errorClass} onChange={(event) => setErrorClass(event.target.value as ErrorClass)}>
                {ERROR_CLASSES.map((c) => (
                  <option key={c} value={c} disabled={c === group.errorClass}>
                    {getErrorClassMeta(c).label} — {LANE_META[laneFor(c)].label} lane
                  </option>
                ))}
              </NativeSelect>
            )}
          </Field>
          <Field label="Why (kept in the audit log)" htmlFor={`${id}-reason`} error={reasonError} hint="e.g. Portal outage from 01:10 to 02:40, not a change">
            {(aria) => <Textarea {...aria} value={reason} maxLength={MAX_TEXT} onChange={(event) => setReason(event.target.value)} rows={3} />}
          </Field>
        </div>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button onClick={submit} disabled={change.isPending}>
            <Tags aria-hidden /> Change class
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Mark the group as looked at, with a note; it stays collapsed until a failure is seen after it. */
export function AcknowledgeButton({ group, label = "Acknowledge" }: { group: TriageGroupJson; label?: string }) {
  const id = useId();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState(group.acknowledgement?.note ?? "");
  const [localError, setLocalError] = useState<string | undefined>();
  const acknowledge = useMutation({
    mutationFn: () => postJson<unknown>(`/api/triage/groups/${group.groupId}/acknowledge`, { note }, { fallback: "The group could not be acknowledged." }),
    onSuccess: async () => {
      toast.success("Acknowledged. The group stays collapsed until it fails again.");
      setOpen(false);
      await refresh();
    },
    onError: (error) => {
      if (!(error instanceof ApiRequestError) || Object.keys(error.fields).length === 0) toast.error(errorMessage(error, "The group could not be acknowledged."));
    },
  });
  const noteError = localError ?? fieldError(acknowledge.error, "note");
  const submit = () => {
    if (note.trim().length === 0) {
      setLocalError("Write a note: what you found, or who is on it");
      return;
    }
    setLocalError(undefined);
    acknowledge.mutate();
  };
  const permission = usePermission("ops");
  const trigger = (
    <Button variant="outline" size="sm">
      <CheckCheck aria-hidden /> {label}
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) acknowledge.reset();
      }}
    >
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Acknowledge this group</AlertDialogTitle>
          <AlertDialogDescription>The group is collapsed with your note until a failure of the same kind is seen again. Nothing is retried or changed.</AlertDialogDescription>
        </AlertDialogHeader>
        <Field label="Note" htmlFor={`${id}-note`} error={noteError} hint="e.g. Known Borealis outage; their support ticket #4411 is open">
          {(aria) => <Textarea {...aria} value={note} maxLength={MAX_TEXT} onChange={(event) => setNote(event.target.value)} rows={3} />}
        </Field>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button onClick={submit} disabled={acknowledge.isPending}>
            <CheckCheck aria-hidden /> Acknowledge
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Clear the acknowledgement: the group opens again. */
export function ClearAcknowledgementButton({ group }: { group: TriageGroupJson }) {
  const refresh = useRefresh();
  const clear = useMutation({
    // 204: no body (fetchJson answers null).
    mutationFn: () => fetchJson<unknown>(`/api/triage/groups/${group.groupId}/acknowledge`, { method: "DELETE", fallback: "The acknowledgement could not be cleared." }),
    onSuccess: async () => {
      toast.success("Acknowledgement cleared.");
      await refresh();
    },
    onError: (error) => toast.error(errorMessage(error, "The acknowledgement could not be cleared.")),
  });
  return (
    <RequiresRole role="ops">
      <Button variant="ghost" size="sm" onClick={() => clear.mutate()} disabled={clear.isPending}>
        <BellOff aria-hidden /> Clear acknowledgement
      </Button>
    </RequiresRole>
  );
}
