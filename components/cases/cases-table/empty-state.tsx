import Link from "next/link";
import { Inbox, SearchX } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

/** No cases at all: nothing has arrived from the CRM yet. */
export function NoCasesEmptyState() {
  return (
    <EmptyState
      icon={Inbox}
      title="No cases yet"
      description="Cases arrive from the CRM by webhook or when the nightly batch pulls new ones. Each appears here with its OEM, status and every submission attempt."
      className="bg-card py-16"
    />
  );
}

/** Cases exist, but none matches the filters. */
export function NoMatchEmptyState({ summary }: { summary: string }) {
  return (
    <EmptyState
      icon={SearchX}
      title="No cases match these filters"
      description={
        <>
          Nothing matches {summary}. Check the reference for typos, or widen the search.
        </>
      }
      action={
        <Button asChild variant="outline" size="sm">
          <Link href="/cases">Clear filters</Link>
        </Button>
      }
      className="bg-card py-16"
    />
  );
}
