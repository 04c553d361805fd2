"use client";

import { useState } from "react";
import { KeyRound, Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { postAuth, text, ssoErrorMessage } from "./auth-request";

/** Email + password, and the identity provider's button when SSO is configured. Comes back to `next` once signed in. */
export function SignInForm({ next, sso, initialError }: { next: string; sso: { label: string } | null; initialError?: string }) {
  const [error, setError] = useState<string | null>(ssoErrorMessage(initialError));
  const [pending, setPending] = useState<"password" | "sso" | null>(null);

  async function signIn(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending("password");
    setError(null);
    const result = await postAuth("/api/auth/sign-in/email", { email: text(data, "email"), password: text(data, "password"), rememberMe: true });
    if (result.ok) {
      window.location.assign(next);
      return;
    }
    setError(result.message);
    setPending(null);
  }

  async function signInWithSso() {
    setPending("sso");
    setError(null);
    const result = await postAuth<{ url?: string }>("/api/auth/sign-in/social", { provider: "oidc", callbackURL: next, errorCallbackURL: "/sign-in" });
    if (result.ok && result.data.url) {
      window.location.assign(result.data.url);
      return;
    }
    setError(result.ok ? "The identity provider could not be reached. Try again, or ask an admin." : result.message);
    setPending(null);
  }

  return (
    <div className="flex flex-col gap-5">
      {error ? (
        <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-sm text-destructive">
          {error}
        </p>
      ) : null}
      {sso ? (
        <>
          <Button type="button" variant="outline" className="w-full" onClick={() => void signInWithSso()} disabled={pending !== null}>
            {pending === "sso" ? <Loader2 className="animate-spin" /> : <KeyRound />}
            Sign in with {sso.label}
          </Button>
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" />
            or with a password
            <span className="h-px flex-1 bg-border" />
          </div>
        </>
      ) : null}
      <form className="flex flex-col gap-4" onSubmit={(e) => void signIn(e)} noValidate>
        <Field label="Email" htmlFor="email">
          {(aria) => <Input {...aria} name="email" type="email" autoComplete="username" required autoFocus={!sso} />}
        </Field>
        <Field label="Password" htmlFor="password">
          {(aria) => <Input {...aria} name="password" type="password" autoComplete="current-password" required />}
        </Field>
        <Button type="submit" className="w-full" disabled={pending !== null}>
          {pending === "password" ? <Loader2 className="animate-spin" /> : null}
          Sign in
        </Button>
      </form>
    </div>
  );
}
