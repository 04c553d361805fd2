"use client";

import { useState } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { postAuth, text } from "./auth-request";

/** The first admin's account, through the launcher's one-time link. Signed in on success. */
export function SetupForm({ token, minPassword }: { token: string; minPassword: number }) {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    setFields({});
    const result = await postAuth("/api/setup", { token, name: text(data, "name"), email: text(data, "email"), password: text(data, "password") });
    if (result.ok) {
      window.location.assign("/");
      return;
    }
    setFields(result.fields);
    if (Object.keys(result.fields).length === 0) setError(result.message);
    setPending(false);
  }

  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => void submit(e)} noValidate>
      {error ? (
        <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Field label="Name" htmlFor="name" error={fields.name?.[0]}>
        {(aria) => <Input {...aria} name="name" autoComplete="name" required autoFocus />}
      </Field>
      <Field label="Email" htmlFor="email" error={fields.email?.[0]}>
        {(aria) => <Input {...aria} name="email" type="email" autoComplete="username" required />}
      </Field>
      <Field label="Password" htmlFor="password" hint={`At least ${minPassword} characters.`} error={fields.password?.[0]}>
        {(aria) => <Input {...aria} name="password" type="password" autoComplete="new-password" required minLength={minPassword} />}
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? <Loader2 className="animate-spin" /> : null}
        Create admin account
      </Button>
    </form>
  );
}
