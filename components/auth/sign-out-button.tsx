"use client";

import { useState } from "react";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Ends the session (better-auth deletes its row and the cookie), then the sign-in page. */
export async function signOut() {
  await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => undefined);
  window.location.assign("/sign-in");
}

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      className="w-full"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut();
      }}
    >
      <LogOut />
      Sign out
    </Button>
  );
}
