// A run id that is not a uuid, or no such run: a calm message inside the dashboard shell.
import Link from "next/link";
import { ArrowLeft, FileQuestion } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

export default function RunNotFound() {
  return (
    <EmptyState
      icon={FileQuestion}
      title="No such run"
      description="This link does not point to a run Nightshift knows. It may be mistyped; every run is also listed on its case's page."
      action={
        <Button asChild variant="outline" size="sm">
          <Link href="/cases">
            <ArrowLeft /> All cases
          </Link>
        </Button>
      }
      className="mt-8 bg-card py-16"
    />
  );
}
