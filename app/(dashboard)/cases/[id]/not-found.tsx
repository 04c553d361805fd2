// A case id that is not a uuid, or no such case: a calm message inside the dashboard shell.
import Link from "next/link";
import { ArrowLeft, FileQuestion } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

export default function CaseNotFound() {
  return (
    <EmptyState
      icon={FileQuestion}
      title="No such case"
      description="This link does not point to a case Nightshift knows. It may be mistyped, or the case was never received from the CRM."
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
