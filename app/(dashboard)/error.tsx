"use client";

// Error boundary for dashboard pages: keeps the shell, shows a plain sentence and a retry.
import { ErrorState } from "@/components/error-state";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={error} reset={reset} />;
}
