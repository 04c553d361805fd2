"use client";

import { Controller, type UseFormReturn } from "react-hook-form";
import { OemBadge } from "@/components/oem/oem-badge";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { MAX_OPS_NOTE_LENGTH, type RetryBounds } from "@/lib/batches/recipe";
import { BATCH_ORDERS, type BatchOrder } from "@/lib/domain/vocabulary";
import { formatDuration } from "@/lib/format/duration";
import { humanize } from "@/lib/format/text";
import type { RecipeFormValues } from "./recipe-form-model";

export interface RecipeOem {
  id: string;
  label: string;
  color: string;
  monogram: string;
}

export const ORDER_META: Record<BatchOrder, { label: string; description: string }> = {
  redaction_first: { label: "Redaction-sensitive first", description: "Cases with personal data to redact go first, then the oldest." },
  oldest_first: { label: "Oldest first", description: "The longest-waiting cases go first." },
  urgent_first: { label: "Urgent first", description: "Cases the CRM marked urgent go first, then the oldest." },
};

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <fieldset className="grid gap-4 border-t pt-5 first:border-t-0 first:pt-0 md:grid-cols-[14rem_1fr] md:gap-8">
      <legend className="sr-only">{title}</legend>
      <div className="flex flex-col gap-1" aria-hidden>
        <p className="text-sm font-medium">{title}</p>
        <p className="text-xs text-muted-foreground">{description}</p>
      </div>
      <div className="flex min-w-0 flex-col gap-4">{children}</div>
    </fieldset>
  );
}

function CheckList({ name, options, value, onChange, invalid }: { name: string; options: Array<{ id: string; label: React.ReactNode }>; value: string[]; onChange: (next: string[]) => void; invalid: boolean }) {
  return (
    <div className="flex flex-wrap gap-2">
      {options.map((option) => {
        const id = `${name}-${option.id}`;
        const checked = value.includes(option.id);
        return (
          <label
            key={option.id}
            htmlFor={id}
            className={cn(
              "flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm transition-colors hover:bg-accent/60",
              checked && "border-primary/40 bg-accent",
              invalid && "border-destructive",
            )}
          >
            <Checkbox id={id} checked={checked} onCheckedChange={(next) => onChange(next === true ? [...value, option.id] : value.filter((v) => v !== option.id))} />
            {option.label}
          </label>
        );
      })}
    </div>
  );
}

/** The recipe's fields, for the Settings recipe form and the Run now form (same schema, same words). */
export function RecipeFields({
  form,
  oems,
  kinds,
  bounds,
  idPrefix,
  showFilters = true,
}: {
  form: UseFormReturn<RecipeFormValues>;
  oems: readonly RecipeOem[];
  kinds: readonly string[];
  bounds: RetryBounds;
  idPrefix: string;
  /** False when the scope is chosen elsewhere (Run now for one OEM or one case). */
  showFilters?: boolean;
}) {
  const { register, control, watch, formState } = form;
  const errors = formState.errors;
  const retryOverride = watch("retryOverride");
  const oemIds = watch("oemIds");
  const id = (name: string) => `${idPrefix}-${name}`;

  return (
    <div className="flex flex-col gap-6">
      {showFilters ? (
      <Section title="What to file" description="Pending cases of these OEMs and kinds. Leave a list empty to include them all.">
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium" id={id("oems-label")}>
            OEMs
          </p>
          <Controller
            control={control}
            name="oemIds"
            render={({ field }) => (
              <CheckList
                name={id("oem")}
                value={field.value}
                onChange={field.onChange}
                invalid={Boolean(errors.oemIds)}
                options={oems.map((oem) => ({ id: oem.id, label: <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" showLabel /> }))}
              />
            )}
          />
          <p className={cn("text-xs", errors.oemIds ? "font-medium text-destructive" : "text-muted-foreground")} role={errors.oemIds ? "alert" : undefined}>
            {errors.oemIds?.message ?? (oemIds.length === 0 ? "All OEMs." : `${oemIds.length} of ${oems.length} OEMs.`)}
          </p>
        </div>
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium">Case kinds</p>
          {kinds.length === 0 ? (
            <p className="text-xs text-muted-foreground">No cases yet: every kind is included.</p>
          ) : (
            <Controller
              control={control}
              name="caseKinds"
              render={({ field }) => <CheckList name={id("kind")} value={field.value} onChange={field.onChange} invalid={Boolean(errors.caseKinds)} options={kinds.map((kind) => ({ id: kind, label: humanize(kind) }))} />}
            />
          )}
          {errors.caseKinds ? (
            <p role="alert" className="text-xs font-medium text-destructive">
              {errors.caseKinds.message}
            </p>
          ) : null}
        </div>
      </Section>
      ) : null}

      <Section title="Order" description="Which cases go first. Ties go to the oldest case.">
        <Controller
          control={control}
          name="order"
          render={({ field }) => (
            <div role="radiogroup" aria-label="Order" className="grid gap-2 sm:grid-cols-3">
              {BATCH_ORDERS.map((order) => (
                <label
                  key={order}
                  className={cn(
                    "flex cursor-pointer flex-col gap-1 rounded-md border p-3 text-sm transition-colors hover:bg-accent/60 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                    field.value === order && "border-primary/50 bg-accent",
                  )}
                >
                  <span className="flex items-center gap-2 font-medium">
                    <input type="radio" className="accent-primary" name={field.name} value={order} checked={field.value === order} onChange={() => field.onChange(order)} />
                    {ORDER_META[order].label}
                  </span>
                  <span className="text-xs text-muted-foreground">{ORDER_META[order].description}</span>
                </label>
              ))}
            </div>
          )}
        />
      </Section>

      <Section title="Pace" description="Browser sessions at once. Portals punish parallel sessions: each has its own limit across all workers.">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Sessions in all" htmlFor={id("concurrency")} hint="Across every worker." error={errors.concurrency?.message}>
            {(aria) => <Input {...aria} inputMode="numeric" {...register("concurrency")} />}
          </Field>
          <Field label="Per portal (default)" htmlFor={id("default-portal")} hint="For portals without their own limit." error={errors.defaultPortalConcurrency?.message}>
            {(aria) => <Input {...aria} inputMode="numeric" {...register("defaultPortalConcurrency")} />}
          </Field>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          {oems.map((oem) => {
            const error = errors.portalConcurrency?.[oem.id]?.message;
            return (
              <Field
                key={oem.id}
                label={<OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" showLabel />}
                htmlFor={id(`portal-${oem.id}`)}
                hint="Empty: the default."
                error={error}
              >
                {(aria) => <Input {...aria} inputMode="numeric" placeholder="Default" {...register(`portalConcurrency.${oem.id}`)} />}
              </Field>
            );
          })}
        </div>
      </Section>

      <Section title="Retries" description="Transient failures (a flaky portal, a pop-up) are retried. Override the deployment's policy for this batch.">
        <Controller
          control={control}
          name="retryOverride"
          render={({ field }) => (
            <label className="flex items-center gap-3 text-sm">
              <Switch checked={field.value} onCheckedChange={field.onChange} aria-label="Override the retry policy" />
              Override the retry policy
            </label>
          )}
        />
        {retryOverride ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Attempts per case" htmlFor={id("retry-attempts")} hint="1 to 5." error={errors.retryMaxAttempts?.message}>
              {(aria) => <Input {...aria} inputMode="numeric" {...register("retryMaxAttempts")} />}
            </Field>
            <Field
              label="Seconds between attempts"
              htmlFor={id("retry-delay")}
              hint={`${formatDuration(bounds.minDelaySeconds * 1000)} to ${formatDuration(bounds.maxDelaySeconds * 1000)}.`}
              error={errors.retryDelaySeconds?.message}
            >
              {(aria) => <Input {...aria} inputMode="numeric" {...register("retryDelaySeconds")} />}
            </Field>
          </div>
        ) : null}
      </Section>

      <Section title="Dry run" description="Every step up to the final submit, with screenshots; nothing is filed and the CRM only gets a note.">
        <Controller
          control={control}
          name="dryRun"
          render={({ field }) => (
            <label className="flex items-center gap-3 text-sm">
              <Switch checked={field.value} onCheckedChange={field.onChange} aria-label="Dry run" />
              {field.value ? "Dry run: nothing will be submitted" : "Off: cases are filed for real"}
            </label>
          )}
        />
      </Section>

      <Section title="Note for the night" description="Shown on the batch for whoever watches it.">
        <Field label="Ops note" htmlFor={id("ops-note")} hint={`Up to ${MAX_OPS_NOTE_LENGTH} characters, e.g. "Corvid first: audit on Friday".`} error={errors.opsNote?.message}>
          {(aria) => <Textarea {...aria} rows={2} {...register("opsNote")} />}
        </Field>
      </Section>
    </div>
  );
}

/** Every field name of the form, for placing API field errors. */
export const RECIPE_FORM_FIELDS = [
  "oemIds",
  "caseKinds",
  "order",
  "concurrency",
  "defaultPortalConcurrency",
  "portalConcurrency",
  "dryRun",
  "retryMaxAttempts",
  "retryDelaySeconds",
  "opsNote",
] as const;
