import Link from "next/link";
import { Rocket } from "lucide-react";
import { Button } from "@/components/ui/button";

/** "Run now": opens the Run now form, prefilled with the saved recipe (ops may change it for one batch). */
export function RunNowButton() {
  return (
    <Button asChild size="sm">
      <Link href="/batches/new">
        <Rocket aria-hidden />
        Run now
      </Link>
    </Button>
  );
}
