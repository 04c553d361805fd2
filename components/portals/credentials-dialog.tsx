"use client";

import { useState } from "react";
import { KeyRound, Trash2 } from "lucide-react";
import { Controller, useForm } from "react-hook-form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { usePermission } from "@/components/auth/viewer-context";
import { overviewKeys } from "@/components/overview/overview-query";
import { ApiRequestError, errorMessage, fetchJson, putJson } from "@/components/query/fetch-json";
import { applyFieldErrors } from "@/components/recipe/apply-field-errors";
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
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Tooltip, TooltipContent, TooltipProvider, TooltipTrigger } from "@/components/ui/tooltip";
import { fieldErrorsOf } from "@/lib/http/zod-issues";
import { formatCountOf } from "@/lib/format/number";
import { portalCredentialsInputSchema, type PortalCredentialStatus } from "@/lib/portals/credentials-input";
import { portalKeys } from "./portals-query";

const FIELDS = ["username", "password", "totpSecret"] as const;

interface FormValues {
  username: string;
  password: string;
  totpSecret: string;
  resume: boolean;
}

interface SaveAnswer {
  credentials: PortalCredentialStatus;
  resumed: boolean;
  requeued: number;
}

export interface CredentialsDialogProps {
  oemId: string;
  label: string;
  status: PortalCredentialStatus;
  /** Paused because the portal refused the login: saving can resume it and re-queue its runs. */
  pausedForAuth: boolean;
  /** Runs that failed `auth` since the pause (re-queued on resume). */
  authFailedRuns: number;
}

const EMPTY: FormValues = { username: "", password: "", totpSecret: "", resume: true };

/**
 * Sets or rotates a portal's credentials (PUT /api/portals/:oem/credentials), admins only. The
 * form starts empty every time: saved values are never shown again, only when and by whom.
 */
export function CredentialsDialog({ oemId, label, status, pausedForAuth, authFailedRuns }: CredentialsDialogProps) {
  const permission = usePermission("admin");
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormValues>({ defaultValues: EMPTY });
  const url = `/api/portals/${encodeURIComponent(oemId)}/credentials`;
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: portalKeys.all }), queryClient.invalidateQueries({ queryKey: overviewKeys.all })]);
  const close = () => {
    setOpen(false);
    setFormError(null);
    form.reset(EMPTY);
  };

  const save = useMutation({
    mutationFn: (body: { username: string; password: string; totpSecret?: string; resume?: boolean }) => putJson<SaveAnswer>(url, body, { fallback: `Could not save the credentials for ${label}.` }),
    onSuccess: async (answer) => {
      close();
      toast.success(
        answer.resumed
          ? `${label}: credentials saved, portal resumed${answer.requeued > 0 ? `, ${formatCountOf(answer.requeued, "run")} re-queued` : ""}.`
          : `${label}: credentials saved. The next attempt signs in with them.`,
      );
      await refresh();
    },
    onError: (error) => {
      if (error instanceof ApiRequestError && Object.keys(error.fields).length > 0) {
        const rest = applyFieldErrors(form.setError, error.fields, (p) => p, FIELDS);
        setFormError(rest.length > 0 ? rest.join(" ") : null);
      } else setFormError(errorMessage(error, `Could not save the credentials for ${label}.`));
    },
  });
  const clear = useMutation({
    mutationFn: () => fetchJson<{ credentials: PortalCredentialStatus }>(url, { method: "DELETE", fallback: `Could not remove the credentials for ${label}.` }),
    onSuccess: async () => {
      close();
      toast.success(`${label}: stored credentials removed.`);
      await refresh();
    },
    onError: (error) => setFormError(errorMessage(error, `Could not remove the credentials for ${label}.`)),
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    // The API's own schema, checked before sending; the API answers the same messages in error.fields.
    const parsed = portalCredentialsInputSchema.safeParse({ username: values.username, password: values.password, totpSecret: values.totpSecret });
    if (!parsed.success) {
      const rest = applyFieldErrors(form.setError, fieldErrorsOf(parsed.error), (p) => p, FIELDS);
      setFormError(rest.length > 0 ? rest.join(" ") : null);
      return;
    }
    save.mutate({ ...parsed.data, ...(pausedForAuth ? { resume: values.resume } : {}) });
  });
  const { errors } = form.formState;
  const busy = save.isPending || clear.isPending;
  const idPrefix = `credentials-${oemId}`;

  if (!permission.allowed) {
    return (
      <TooltipProvider>
        <Tooltip>
          <TooltipTrigger asChild>
            {/* A disabled button takes no pointer or focus: the wrapper carries the reason. */}
            <span tabIndex={0} className="inline-flex rounded-md focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none" aria-describedby={`${idPrefix}-reason`}>
              <Button size="sm" variant="outline" disabled>
                <KeyRound aria-hidden /> Credentials
              </Button>
            </span>
          </TooltipTrigger>
          <TooltipContent>{permission.reason}</TooltipContent>
        </Tooltip>
        <span id={`${idPrefix}-reason`} className="sr-only">
          {permission.reason}
        </span>
      </TooltipProvider>
    );
  }

  return (
    <AlertDialog open={open} onOpenChange={(next) => (next ? setOpen(true) : close())}>
      <AlertDialogTrigger asChild>
        <Button size="sm" variant="outline">
          <KeyRound aria-hidden /> Credentials
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form onSubmit={onSubmit} className="grid gap-4" aria-label={`Credentials for ${label}`} noValidate autoComplete="off">
          <AlertDialogHeader>
            <AlertDialogTitle>{status.source === "stored" ? `Rotate ${label}'s credentials` : `Set ${label}'s credentials`}</AlertDialogTitle>
            <AlertDialogDescription>
              Stored encrypted and used from the next attempt on. They are never shown again, not even to admins: only when and by whom they were set.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <Field label="Username" htmlFor={`${idPrefix}-username`} error={errors.username?.message}>
            {(aria) => <Input {...aria} autoComplete="off" spellCheck={false} autoFocus {...form.register("username")} />}
          </Field>
          <Field label="Password" htmlFor={`${idPrefix}-password`} error={errors.password?.message}>
            {(aria) => <Input {...aria} type="password" autoComplete="new-password" {...form.register("password")} />}
          </Field>
          <Field
            label="TOTP secret (optional)"
            htmlFor={`${idPrefix}-totp`}
            hint="Only if the portal asks for a one-time code after the password: the base32 secret or otpauth:// link behind its QR code. Nightshift then generates the codes."
            error={errors.totpSecret?.message}
          >
            {(aria) => <Input {...aria} type="password" autoComplete="off" spellCheck={false} {...form.register("totpSecret")} />}
          </Field>
          {pausedForAuth ? (
            <Controller
              control={form.control}
              name="resume"
              render={({ field }) => (
                <label className="flex items-start gap-3 rounded-md border border-status-retry/30 bg-status-retry/5 px-3 py-2 text-sm">
                  <Checkbox checked={field.value} onCheckedChange={(checked) => field.onChange(checked === true)} className="mt-0.5" aria-describedby={`${idPrefix}-resume-hint`} />
                  <span className="flex flex-col gap-0.5">
                    <span className="font-medium">Resume the portal and re-queue its runs</span>
                    <span id={`${idPrefix}-resume-hint`} className="text-xs text-muted-foreground">
                      {label} is paused because it refused the login.{" "}
                      {authFailedRuns > 0 ? `${formatCountOf(authFailedRuns, "run")} that failed on the old credentials ${authFailedRuns === 1 ? "is" : "are"} queued again; ` : ""}
                      queued cases are filed again.
                    </span>
                  </span>
                </label>
              )}
            />
          ) : null}
          {formError ? (
            <p role="alert" className="text-sm font-medium text-destructive">
              {formError}
            </p>
          ) : null}
          <AlertDialogFooter className="sm:justify-between">
            {status.source === "stored" ? (
              <Button type="button" variant="ghost" size="sm" className="text-destructive" disabled={busy} onClick={() => clear.mutate()}>
                <Trash2 aria-hidden /> Remove stored
              </Button>
            ) : (
              <span />
            )}
            <div className="flex flex-col-reverse gap-2 sm:flex-row">
              <AlertDialogCancel type="button">Cancel</AlertDialogCancel>
              <Button type="submit" disabled={busy}>
                <KeyRound aria-hidden /> {save.isPending ? "Saving…" : "Save credentials"}
              </Button>
            </div>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
