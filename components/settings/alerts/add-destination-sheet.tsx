"use client";

import { useState } from "react";
import { Check, Copy, Plus } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { ApiRequestError, errorMessage } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import type { AlertDestinationKind } from "@/lib/alerts/vocabulary";
import { alertKeys, createDestination } from "./alerts-api";

const TARGET_META: Record<AlertDestinationKind, { label: string; placeholder: string; hint: string; type: string }> = {
  email: { label: "Email address", placeholder: "ops@example.com", hint: "A person or a team list.", type: "email" },
  webhook: {
    label: "Webhook URL",
    placeholder: "https://hooks.example.com/nightshift",
    hint: "Receives a signed JSON POST (Standard Webhooks). You get its signing secret once, right after adding it.",
    type: "url",
  },
};

/** "Add destination": kind, address or URL, an optional label, and what it receives (POST /api/settings/alerts/destinations). */
export function AddDestinationSheet() {
  const queryClient = useQueryClient();
  const permission = usePermission("admin");
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<AlertDestinationKind>("email");
  const [target, setTarget] = useState("");
  const [label, setLabel] = useState("");
  const [receivesAlerts, setReceivesAlerts] = useState(true);
  const [receivesDigest, setReceivesDigest] = useState(true);
  const [errors, setErrors] = useState<{ target?: string; receives?: string; form?: string }>({});
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const reset = () => {
    setKind("email");
    setTarget("");
    setLabel("");
    setReceivesAlerts(true);
    setReceivesDigest(true);
    setErrors({});
    setSecret(null);
    setCopied(false);
  };

  const add = useMutation({
    mutationFn: createDestination,
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: alertKeys.all });
      if (answer.secret) {
        setSecret(answer.secret);
        toast.success(`Webhook added. Copy its signing secret now: it is not shown again.`);
      } else {
        toast.success(`${answer.destination.target} will be told. Send it a test message to check.`);
        setOpen(false);
        reset();
      }
    },
    onError: (error) => {
      const fields = error instanceof ApiRequestError ? error.fields : {};
      if (fields.target || fields.receivesAlerts) setErrors({ target: fields.target?.join(" "), receives: fields.receivesAlerts?.join(" ") });
      else setErrors({ form: errorMessage(error, "The destination could not be added.") });
    },
  });

  const trigger = (
    <Button size="sm">
      <Plus aria-hidden /> Add destination
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  const meta = TARGET_META[kind];
  return (
    <Sheet
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <SheetTrigger asChild>{trigger}</SheetTrigger>
      <SheetContent className="sm:max-w-md">
        {secret ? (
          <div className="flex h-full flex-col">
            <SheetHeader>
              <SheetTitle>Copy the signing secret</SheetTitle>
              <SheetDescription>
                The receiver verifies each request&apos;s <code>webhook-signature</code> with this secret (Standard Webhooks). It is stored sealed and is not shown again: to replace it, delete the destination and add it again.
              </SheetDescription>
            </SheetHeader>
            <div className="flex flex-col gap-3 px-4">
              <code data-testid="webhook-secret" className="rounded-md border bg-muted px-3 py-2 font-mono text-xs break-all">
                {secret}
              </code>
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="self-start"
                onClick={() => {
                  void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
                }}
              >
                {copied ? <Check aria-hidden /> : <Copy aria-hidden />} {copied ? "Copied" : "Copy secret"}
              </Button>
            </div>
            <SheetFooter className="mt-auto flex-row justify-end border-t">
              <Button type="button" onClick={() => setOpen(false)}>
                Done
              </Button>
            </SheetFooter>
          </div>
        ) : (
          <form
            noValidate
            aria-label="Add an alert destination"
            className="flex h-full flex-col"
            onSubmit={(event) => {
              event.preventDefault();
              setErrors({});
              add.mutate({ kind, target, label: label || undefined, receivesAlerts, receivesDigest });
            }}
          >
            <SheetHeader>
              <SheetTitle>Add a destination</SheetTitle>
              <SheetDescription>Who is told when something needs a person at night, and who gets the morning digest.</SheetDescription>
            </SheetHeader>
            <div className="flex flex-col gap-5 px-4">
              <Field label="Kind" htmlFor="destination-kind">
                {(aria) => (
                  <NativeSelect {...aria} value={kind} onChange={(event) => setKind(event.target.value === "webhook" ? "webhook" : "email")}>
                    <option value="email">Email</option>
                    <option value="webhook">Webhook (e.g. chat)</option>
                  </NativeSelect>
                )}
              </Field>
              <Field label={meta.label} htmlFor="destination-target" hint={meta.hint} error={errors.target}>
                {(aria) => <Input {...aria} type={meta.type} autoComplete="off" placeholder={meta.placeholder} value={target} onChange={(event) => setTarget(event.target.value)} />}
              </Field>
              <Field label="Label (optional)" htmlFor="destination-label" hint="e.g. Ops on-call, #nightshift channel">
                {(aria) => <Input {...aria} autoComplete="off" maxLength={80} value={label} onChange={(event) => setLabel(event.target.value)} />}
              </Field>
              <fieldset className="flex flex-col gap-3" aria-describedby={errors.receives ? "destination-receives-error" : undefined}>
                <legend className="mb-1 text-sm font-medium">Receives</legend>
                <label className="flex items-start gap-2 text-sm">
                  <Checkbox checked={receivesAlerts} onCheckedChange={(value) => setReceivesAlerts(value === true)} aria-label="Critical alerts" className="mt-0.5" />
                  <span>
                    Critical alerts
                    <span className="block text-xs text-muted-foreground">Portal paused for its credentials, batch at risk or late, a portal that changed. Reminders while open.</span>
                  </span>
                </label>
                <label className="flex items-start gap-2 text-sm">
                  <Checkbox checked={receivesDigest} onCheckedChange={(value) => setReceivesDigest(value === true)} aria-label="Morning digest" className="mt-0.5" />
                  <span>
                    Morning digest
                    <span className="block text-xs text-muted-foreground">Once per night: headline, submitted and failed, what needs someone, SLA met or not.</span>
                  </span>
                </label>
                {errors.receives ? (
                  <p id="destination-receives-error" role="alert" className="text-xs font-medium text-destructive">
                    {errors.receives}
                  </p>
                ) : null}
              </fieldset>
              {errors.form ? (
                <p role="alert" className="text-sm font-medium text-destructive">
                  {errors.form}
                </p>
              ) : null}
            </div>
            <SheetFooter className="mt-auto flex-row justify-end border-t">
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={add.isPending}>
                <Plus aria-hidden /> {add.isPending ? "Adding…" : "Add destination"}
              </Button>
            </SheetFooter>
          </form>
        )}
      </SheetContent>
    </Sheet>
  );
}
