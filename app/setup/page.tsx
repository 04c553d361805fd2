// The first admin: opened from the one-time link the launcher prints when nobody can manage Nightshift yet.
import type { Metadata } from "next";
import Link from "next/link";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SetupForm } from "@/components/auth/setup-form";
import { Button } from "@/components/ui/button";
import { SETUP_REFUSALS, setupTokenState } from "@/lib/auth/setup-tokens";
import { PASSWORD_MIN } from "@/lib/auth/person-schema";
import { getSharedDatabase } from "@/lib/db/shared";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create the first admin" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const token = (await searchParams).token;
  const state = typeof token === "string" && token.length >= 16 && token.length <= 200 ? await setupTokenState(getSharedDatabase().db, token) : "unknown";
  if (state !== "valid") {
    return (
      <AuthFrame title="This link cannot be used" description={SETUP_REFUSALS[state]}>
        <Button asChild className="w-full">
          <Link href="/sign-in">Go to sign-in</Link>
        </Button>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Create the first admin" description="This link works once. The admin can then add everyone else on the Settings page.">
      <SetupForm token={token as string} minPassword={PASSWORD_MIN} />
    </AuthFrame>
  );
}
