"use client";

import Link from "next/link";
import { Rocket } from "lucide-react";
import { RequiresRole } from "@/components/auth/permission-gate";
import { Button } from "@/components/ui/button";

/**
 * "Run now": opens the Run now form, prefilled with the saved recipe (ops may change it for one
 * batch). Needs the ops role: below it, or in read-only mode, a disabled button with the reason.
 */
export function RunNowButton({ href = "/batches/new", variant = "default", label = "Run now", icon = true }: { href?: string; variant?: "default" | "outline"; label?: string; icon?: boolean }) {
  return (
    <RequiresRole role="ops">
      <Button asChild size="sm" variant={variant}>
        <Link href={href}>
          {icon ? <Rocket aria-hidden /> : null}
          {label}
        </Link>
      </Button>
    </RequiresRole>
  );
}
