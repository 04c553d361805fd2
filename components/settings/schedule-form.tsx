"use client";

import { useMemo, useState } from "react";
import { CalendarClock } from "lucide-react";
import { Controller, useForm } from "react-hook-form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RequiresRoleFieldset } from "@/components/auth/permission-gate";
import { applyFieldErrors } from "@/components/recipe/apply-field-errors";
import { fieldErrorsOf } from "@/lib/http/zod-issues";
import { ApiRequestError, errorMessage } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Switch } from "@/components/ui/switch";
import { RelativeTime } from "@/components/relative-time";
import { scheduleSchema, type Schedule } from "@/lib/schedule/schedule";
import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { timeZoneInWords } from "@/lib/schedule/slots";
import { saveSchedule, settingsKeys, type ScheduleAnswer } from "./settings-api";

const FIELDS = ["enabled", "time", "timeZone", "deadline"] as const;

/** An instant in the schedule's own zone ("Wed 2 Dec, 1:30 AM"): the schedule is about that zone, not the viewer's. */
function inZone(iso: string, timeZone: string, pattern = "EEE d MMM, h:mm a"): string {
  return format(new Date(iso), pattern, { in: tz(timeZone) });
}

function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** The nightly schedule: when the batch starts and its deadline, in the zone ops work in. */
export function ScheduleForm({ answer }: { answer: ScheduleAnswer }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Schedule>({ defaultValues: answer.schedule });
  const zones = useMemo(() => timeZones(answer.schedule.timeZone), [answer.schedule.timeZone]);
  const save = useMutation({
    mutationFn: saveSchedule,
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.schedule, saved);
      form.reset(saved.schedule);
      toast.success(`Schedule saved: ${saved.description}`);
    },
    onError: (error) => {
      if (error instanceof ApiRequestError && Object.keys(error.fields).length > 0) {
        const rest = applyFieldErrors(form.setError, error.fields, (p) => p, FIELDS);
        setFormError(rest.length > 0 ? rest.join(" ") : null);
      } else toast.error(errorMessage(error, "The schedule could not be saved."));
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    const parsed = scheduleSchema.safeParse(values);
    if (!parsed.success) {
      const rest = applyFieldErrors(form.setError, fieldErrorsOf(parsed.error), (p) => p, FIELDS);
      setFormError(rest.length > 0 ? rest.join(" ") : null);
      return;
    }
    save.mutate(parsed.data);
  });
  const { errors, isDirty } = form.formState;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <CalendarClock aria-hidden className="size-4 text-muted-foreground" />
          Nightly schedule
        </CardTitle>
        <CardDescription>{answer.description}</CardDescription>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate aria-label="Nightly schedule">
        <RequiresRoleFieldset role="admin" legend="Nightly schedule">
          <CardContent className="flex flex-col gap-5">
            <Controller
              control={form.control}
              name="enabled"
              render={({ field }) => (
                <label className="flex items-center gap-3 text-sm">
                  <Switch checked={field.value} onCheckedChange={field.onChange} aria-label="Run the nightly batch" />
                  {field.value ? "The nightly batch runs every night" : "Paused: no nightly batch until it is switched back on"}
                </label>
              )}
            />
            <div className="grid gap-4 sm:grid-cols-3">
              <Field label="Starts at" htmlFor="schedule-time" hint="Local time, 24-hour." error={errors.time?.message}>
                {(aria) => <Input {...aria} type="time" {...form.register("time")} />}
              </Field>
              <Field label="Done by" htmlFor="schedule-deadline" hint="The morning deadline." error={errors.deadline?.message}>
                {(aria) => <Input {...aria} type="time" {...form.register("deadline")} />}
              </Field>
              <Field label="Time zone" htmlFor="schedule-zone" hint="Daylight saving is handled." error={errors.timeZone?.message}>
                {(aria) => (
                  <NativeSelect {...aria} {...form.register("timeZone")}>
                    {zones.map((zone) => (
                      <option key={zone} value={zone}>
                        {zone.replaceAll("_", " ")}
                      </option>
                    ))}
                  </NativeSelect>
                )}
              </Field>
            </div>
            {formError ? (
              <p role="alert" className="text-sm font-medium text-destructive">
                {formError}
              </p>
            ) : null}
          </CardContent>
          <CardFooter className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t pt-4">
            <p className="text-xs text-muted-foreground">
              {answer.nextSlot ? (
                <>
                  Next batch <time dateTime={answer.nextSlot}>{inZone(answer.nextSlot, answer.schedule.timeZone)}</time>
                  {answer.nextDeadline ? (
                    <>
                      , due <time dateTime={answer.nextDeadline}>{inZone(answer.nextDeadline, answer.schedule.timeZone, "h:mm a")}</time>
                    </>
                  ) : null}{" "}
                  {timeZoneInWords(answer.schedule.timeZone)} time.{" "}
                </>
              ) : null}
              {answer.updatedAt ? (
                <>
                  Changed by {answer.updatedBy ?? "someone"} <RelativeTime date={new Date(answer.updatedAt)} />.
                </>
              ) : null}
            </p>
            <Button type="submit" size="sm" disabled={save.isPending || !isDirty}>
              {save.isPending ? "Saving…" : "Save schedule"}
            </Button>
          </CardFooter>
        </RequiresRoleFieldset>
      </form>
    </Card>
  );
}
