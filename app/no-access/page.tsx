// Signed in, but not allowed: an SSO account whose groups map to no role, or a page above the person's role.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Button } from "@/components/ui/button";
import { isRole } from "@/lib/auth/roles";
import { optionalUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "No access" };

export default async function NoAccessPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await optionalUser();
  if (!user) redirect("/sign-in");
  const need = (await searchParams).need;
  const description = user.role
    ? `This page needs the ${isRole(need) ? need : "a higher"} role; you are ${user.role === "ops" ? "an" : "a"} ${user.role}.`
    : "You are signed in, but none of your groups gives you a Nightshift role yet. Ask an admin to add you to a Nightshift group, then sign in again.";
  return (
    <AuthFrame title="No access" description={description} footer={`Signed in as ${user.email}`}>
      <div className="flex flex-col gap-2">
        {user.role ? (
          <Button asChild className="w-full">
            <Link href="/">Back to the overview</Link>
          </Button>
        ) : null}
        <SignOutButton />
      </div>
    </AuthFrame>
  );
}
