import Link from "next/link";
import { History, TriangleAlert } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { RunNowButton } from "@/components/overview/run-now-button";
import { Button } from "@/components/ui/button";

/** No run at all yet: nothing has been filed. */
export function NoRunsEmptyState() {
  return (
    <EmptyState
      icon={History}
      title="No runs yet"
      description="A run is one case's submission on its portal. Runs appear here as soon as the nightly batch, a Run now or an urgent CRM webhook starts filing."
      action={
        <RunNowButton variant="outline" icon={false} />
      }
      className="bg-card py-16"
    />
  );
}

/** The URL's filters could not be read: say which and how to fix it, instead of a crash. */
export function BadFiltersState({ fields }: { fields: Record<string, string[]> }) {
  return (
    <EmptyState
      icon={TriangleAlert}
      title="This link's filters could not be read"
      description={
        <div className="flex flex-col gap-2">
          <p>Nothing was filtered. Fix the link or start again from every run:</p>
          <ul className="text-left">
            {Object.entries(fields).map(([field, messages]) => (
              <li key={field}>
                <code className="font-mono text-xs text-foreground">{field || "filters"}</code>: {messages.join(", ")}
              </li>
            ))}
          </ul>
        </div>
      }
      action={
        <Button asChild variant="outline" size="sm">
          <Link href="/runs">Show every run</Link>
        </Button>
      }
      className="bg-card py-16"
    />
  );
}
