"use client";

// Root error boundary: anything that failed outside the dashboard shell.
import { ErrorState } from "@/components/error-state";

export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-svh items-center justify-center px-4">
      <ErrorState error={error} reset={reset} />
    </main>
  );
}
