"use client";

import { useState } from "react";
import { UserPlus } from "lucide-react";
import { useForm } from "react-hook-form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { applyFieldErrors } from "@/components/recipe/apply-field-errors";
import { ApiRequestError, errorMessage } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { ROLES } from "@/lib/auth/roles";
import { fieldErrorsOf } from "@/lib/http/zod-issues";
import { createPerson, peopleKeys } from "./people-api";
import { NEW_PERSON_FIELDS, PASSWORD_MIN, ROLE_META, newPersonFormSchema, type NewPersonFormValues } from "./person-form-model";

const EMPTY: NewPersonFormValues = { name: "", email: "", role: "viewer", password: "" };

/** "Add person": a side sheet with name, email, role and an initial password (POST /api/users). */
export function AddPersonSheet() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<NewPersonFormValues>({ defaultValues: EMPTY });
  const { errors } = form.formState;

  const showFieldErrors = (fields: Record<string, string[]>) => {
    const rest = applyFieldErrors(form.setError, fields, (p) => p, NEW_PERSON_FIELDS);
    setFormError(rest.length > 0 ? rest.join(" ") : null);
  };

  const add = useMutation({
    mutationFn: createPerson,
    onSuccess: async (person) => {
      toast.success(`${person.name} can now sign in as ${ROLE_META[person.role ?? "viewer"].label.toLowerCase()} with ${person.email}. Pass the password on safely.`);
      setOpen(false);
      form.reset(EMPTY);
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
    onError: (error) => {
      if (error instanceof ApiRequestError && Object.keys(error.fields).length > 0) showFieldErrors(error.fields);
      else if (error instanceof ApiRequestError && error.code === "conflict") form.setError("email", { type: "server", message: error.message });
      else setFormError(errorMessage(error, "The person could not be added."));
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    const parsed = newPersonFormSchema.safeParse(values);
    if (!parsed.success) {
      showFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    add.mutate(parsed.data);
  });

  const permission = usePermission("admin");
  const trigger = (
    <Button size="sm">
      <UserPlus aria-hidden /> Add person
    </Button>
  );
  if (!permission.allowed) return <DisabledWithReason reason={permission.reason ?? ""}>{trigger}</DisabledWithReason>;
  return (
    <Sheet
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset(EMPTY);
          setFormError(null);
        }
      }}
    >
      <SheetTrigger asChild>{trigger}</SheetTrigger>
      <SheetContent className="sm:max-w-md">
        <form onSubmit={onSubmit} noValidate aria-label="Add a person" className="flex h-full flex-col">
          <SheetHeader>
            <SheetTitle>Add a person</SheetTitle>
            <SheetDescription>They sign in with this email and password. People who sign in through the identity provider appear here by themselves at their first sign-in.</SheetDescription>
          </SheetHeader>
          <div className="flex flex-col gap-5 px-4">
            <Field label="Name" htmlFor="person-name" error={errors.name?.message}>
              {(aria) => <Input {...aria} autoComplete="off" {...form.register("name")} />}
            </Field>
            <Field label="Email" htmlFor="person-email" error={errors.email?.message}>
              {(aria) => <Input {...aria} type="email" autoComplete="off" {...form.register("email")} />}
            </Field>
            <Field label="Role" htmlFor="person-role" hint={ROLE_META[form.watch("role")].description} error={errors.role?.message}>
              {(aria) => (
                <NativeSelect {...aria} {...form.register("role")}>
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {ROLE_META[role].label}
                    </option>
                  ))}
                </NativeSelect>
              )}
            </Field>
            <Field label="Initial password" htmlFor="person-password" hint={`At least ${PASSWORD_MIN} characters. Tell them in person or through a password manager, never by email.`} error={errors.password?.message}>
              {(aria) => <Input {...aria} type="password" autoComplete="new-password" {...form.register("password")} />}
            </Field>
            {formError ? (
              <p role="alert" className="text-sm font-medium text-destructive">
                {formError}
              </p>
            ) : null}
          </div>
          <SheetFooter className="flex-row justify-end border-t">
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={add.isPending}>
              <UserPlus aria-hidden /> {add.isPending ? "Adding…" : "Add person"}
            </Button>
          </SheetFooter>
        </form>
      </SheetContent>
    </Sheet>
  );
}
