import { CircleCheck, CircleMinus } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";
import { humanize } from "@/lib/format/text";

type Entry = { key: string; label: string; value: React.ReactNode; wide?: boolean };

/** Fields shown first, in this order; anything else the CRM sent follows. */
const ORDER = ["unit", "usage", "incidentDate", "category", "contact", "description", "acknowledgement"];
const WIDE = new Set(["description"]);
const LABELS: Record<string, string> = { incidentDate: "Incident date", acknowledgement: "Dealer acknowledgement" };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : typeof value === "number" ? String(value) : null);

const USAGE_UNITS: Record<string, [string, string]> = { km: ["km", "km"], mi: ["mile", "miles"], hours: ["hour", "hours"], cycles: ["cycle", "cycles"] };

/** "2026-01-08" → "Thu 8 Jan 2026" without a time-zone shift (it is a calendar date, not an instant). */
function formatCalendarDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(date).replace(",", "");
}

function Muted({ children }: { children: React.ReactNode }) {
  return <span className="text-muted-foreground">{children}</span>;
}

function renderUnit(unit: Record<string, unknown>): React.ReactNode {
  const model = text(unit.model);
  const year = text(unit.year);
  const id = text(unit.id);
  return (
    <span className="flex flex-col gap-0.5">
      <span>{model ? `${model}${year ? ` (${year})` : ""}` : (year ?? <Muted>Model not given</Muted>)}</span>
      {id ? <span className="font-mono text-xs text-muted-foreground">{id}</span> : null}
    </span>
  );
}

function renderUsage(usage: Record<string, unknown>): React.ReactNode {
  const value = typeof usage.value === "number" ? usage.value : Number(usage.value);
  const unit = text(usage.unit) ?? "";
  if (!Number.isFinite(value)) return <Muted>Not given</Muted>;
  const words = USAGE_UNITS[unit];
  return `${formatCount(value)} ${words ? (value === 1 ? words[0] : words[1]) : unit}`.trim();
}

function renderContact(contact: Record<string, unknown>, masked: boolean): React.ReactNode {
  const name = text(contact.name);
  const email = text(contact.email);
  const phone = text(contact.phone);
  if (!name && !email && !phone) return <Muted>Not given</Muted>;
  return (
    <span className="flex flex-col gap-0.5">
      {name ? <span>{name}</span> : null}
      {email || phone ? (
        <span className={cn("text-xs text-muted-foreground", masked && "tracking-wide")}>{[email, phone].filter(Boolean).join(" · ")}</span>
      ) : null}
      {masked ? <span className="text-[11px] text-muted-foreground">Masked: redaction-sensitive case</span> : null}
    </span>
  );
}

/** A nested value as one line of words: "Name: Ada, Phone: 555 0100". */
function inline(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map(inline).join(", ");
  if (isRecord(value)) return Object.entries(value).map(([k, v]) => `${humanize(k)}: ${inline(v)}`).join(", ");
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") return String(value);
  return "—";
}

function renderGeneric(value: unknown): React.ReactNode {
  if (value === null || value === undefined || value === "") return <Muted>—</Muted>;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return formatCount(value);
  if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatCalendarDate(value) : value;
  if (Array.isArray(value)) return value.length === 0 ? <Muted>None</Muted> : inline(value);
  if (isRecord(value)) {
    const parts = Object.entries(value).filter(([, v]) => v !== null && v !== undefined && v !== "");
    if (parts.length === 0) return <Muted>—</Muted>;
    return (
      <span className="flex flex-col gap-0.5">
        {parts.map(([k, v]) => (
          <span key={k}>
            <span className="text-muted-foreground">{humanize(k)}:</span> {inline(v)}
          </span>
        ))}
      </span>
    );
  }
  return inline(value);
}

function entryFor(key: string, value: unknown, masked: boolean): Entry {
  const label = LABELS[key] ?? humanize(key);
  if (key === "unit" && isRecord(value)) return { key, label, value: renderUnit(value) };
  if (key === "usage" && isRecord(value)) return { key, label, value: renderUsage(value) };
  if (key === "contact" && isRecord(value)) return { key, label, value: renderContact(value, masked) };
  if (key === "category" && typeof value === "string") return { key, label, value: humanize(value) };
  if (key === "acknowledgement" && typeof value === "boolean") {
    return {
      key,
      label,
      value: value ? (
        <span className="inline-flex items-center gap-1.5">
          <CircleCheck aria-hidden className="size-3.5 text-status-submitted" /> Confirmed
        </span>
      ) : (
        <span className="inline-flex items-center gap-1.5 text-muted-foreground">
          <CircleMinus aria-hidden className="size-3.5" /> Not confirmed
        </span>
      ),
    };
  }
  return { key, label, value: renderGeneric(value), wide: WIDE.has(key) || (typeof value === "string" && value.length > 80) };
}

/** The case's form data as a readable definition list (no JSON): known fields first, then the rest. */
export function FormDataList({ formData, masked }: { formData: Record<string, unknown>; masked: boolean }) {
  const keys = [...ORDER.filter((key) => key in formData), ...Object.keys(formData).filter((key) => !ORDER.includes(key)).sort()];
  const entries = keys.map((key) => entryFor(key, formData[key], masked));
  if (entries.length === 0) return <p className="text-sm text-muted-foreground">The CRM sent no form data for this case.</p>;
  return (
    <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2">
      {entries.map((entry) => (
        <div key={entry.key} className={cn("flex min-w-0 flex-col gap-1", entry.wide && "sm:col-span-2")}>
          <dt className="text-xs text-muted-foreground">{entry.label}</dt>
          <dd className={cn("text-sm break-words", entry.wide && "leading-relaxed text-pretty")}>{entry.value}</dd>
        </div>
      ))}
    </dl>
  );
}
