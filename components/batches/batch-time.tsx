import { formatAbsoluteDate, formatExactDate } from "@/lib/format/date";

/** A date of a batch (ISO string from the API), absolute with the exact time on hover; "—" when absent. */
export function BatchTime({ value, fallback = "—" }: { value: string | null; fallback?: string }) {
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={formatExactDate(date)} className="tabular-nums" suppressHydrationWarning>
      {formatAbsoluteDate(date)}
    </time>
  );
}
