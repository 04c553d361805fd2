// Sign-in: a local account (email + password) or the company's identity provider. Already signed in → straight on.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNext } from "@/lib/auth/safe-next";
import { getEnv } from "@/lib/config/env";
import { optionalUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(typeof params.next === "string" ? params.next : null);
  const user = await optionalUser();
  if (user) redirect(user.role ? next : "/no-access");
  const env = getEnv();
  const sso = env.OIDC_ISSUER ? { label: env.OIDC_LABEL } : null;
  return (
    <AuthFrame title="Sign in" description="See where tonight's submissions stand, and steer the night." footer="No account? Ask a Nightshift admin to add you.">
      <SignInForm next={next} sso={sso} initialError={typeof params.error === "string" ? params.error : undefined} />
    </AuthFrame>
  );
}
