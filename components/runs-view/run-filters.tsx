"use client";

import * as React from "react";
import { usePathname, useRouter } from "next/navigation";
import { ChevronDown, Fingerprint, Globe, Layers, ListFilter, TriangleAlert, X } from "lucide-react";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";
import { FilterSearch } from "@/components/filters/filter-search";
import { OemBadge } from "@/components/oem/oem-badge";
import { getErrorClassMeta } from "@/components/runs/error-class-meta";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { ERROR_CLASSES, RUN_STATUSES, type RunStatus } from "@/lib/domain/vocabulary";
import { formatAbsoluteDate } from "@/lib/format/date";
import type { RunListOem } from "@/lib/runs/queries/get-run-list";
import type { RunListFilter } from "@/lib/runs/queries/run-list-params";
import { runListHref } from "./run-list-url";

export interface RunFiltersProps {
  oems: readonly RunListOem[];
  /** The filter the server applied. */
  value: RunListFilter;
  /** The filtered batch, named in words (from the server). */
  batch: { trigger: keyof typeof BATCH_TRIGGER_LABELS; createdAt: string } | null;
  /** Page size from the URL, kept while filtering. */
  limit: number | null;
}

const EMPTY_MARK = "—";

/**
 * The runs view's filters, kept in the URL (see lib/runs/queries/run-list-params.ts) so a filtered
 * view can be shared. Any change starts again at the newest page. The search also works as a plain
 * GET form without JavaScript.
 */
export function RunFilters({ oems, value, batch, limit }: RunFiltersProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = React.useTransition();

  const navigate = React.useCallback(
    (patch: Partial<RunListFilter>) => {
      const href = runListHref({ ...value, ...patch }, { limit });
      startTransition(() => router.replace(href, { scroll: false }));
    },
    [value, limit, router],
  );

  const search = React.useCallback((q: string | null) => navigate({ q }), [navigate]);

  const selectedOem = oems.find((oem) => oem.id === value.oem) ?? null;
  const statuses = new Set<RunStatus>(value.status);
  const firstStatus = value.status[0] ? getStatusMeta(value.status[0]) : null;
  const StatusIcon = firstStatus?.icon;
  const classMeta = value.errorClass ? getErrorClassMeta(value.errorClass) : null;
  const ClassIcon = classMeta?.icon;
  const active = Boolean(value.q || value.oem || value.status.length || value.errorClass || value.batch || value.fingerprint || value.from || value.to);

  const toggleStatus = (status: RunStatus, checked: boolean) => {
    const next = RUN_STATUSES.filter((s) => (s === status ? checked : statuses.has(s)));
    navigate({ status: next });
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <FilterSearch id="run-search" label="Filter runs by case reference" placeholder="Case reference…" value={value.q} onSearch={search} pending={pending} className="sm:w-64" />

        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="outline" size="sm" className={cn("border-dashed", selectedOem && "border-solid")} aria-label={selectedOem ? `OEM: ${selectedOem.label}` : "Filter by OEM"}>
              {selectedOem ? <OemBadge label={selectedOem.label} color={selectedOem.color} monogram={selectedOem.monogram} size="xs" /> : <Globe className="text-muted-foreground" />}
              {selectedOem ? selectedOem.label : "OEM"}
              <ChevronDown className="text-muted-foreground" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start" className="w-56">
            <DropdownMenuLabel className="text-xs text-muted-foreground">Filter by OEM</DropdownMenuLabel>
            <DropdownMenuCheckboxItem checked={!value.oem} onSelect={() => navigate({ oem: null })}>
              All OEMs
            </DropdownMenuCheckboxItem>
            <DropdownMenuSeparator />
            {oems.map((oem) => (
              <DropdownMenuCheckboxItem key={oem.id} checked={value.oem === oem.id} onSelect={() => navigate({ oem: oem.id })}>
                <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" />
                <span className="truncate">{oem.label}</span>
              </DropdownMenuCheckboxItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>

        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="outline" size="sm" className={cn("border-dashed", firstStatus && "border-solid")} aria-label={value.status.length ? `Status: ${value.status.map((s) => getStatusMeta(s).label).join(", ")}` : "Filter by status"}>
              {StatusIcon && firstStatus ? <StatusIcon className={firstStatus.textClassName} /> : <ListFilter className="text-muted-foreground" />}
              {firstStatus ? (value.status.length > 1 ? `${firstStatus.label} +${value.status.length - 1}` : firstStatus.label) : "Status"}
              <ChevronDown className="text-muted-foreground" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start" className="w-56">
            <DropdownMenuLabel className="text-xs text-muted-foreground">Filter by status (any of)</DropdownMenuLabel>
            {RUN_STATUSES.map((status) => {
              const meta = getStatusMeta(status);
              const Icon = meta.icon;
              return (
                <DropdownMenuCheckboxItem
                  key={status}
                  checked={statuses.has(status)}
                  // Keep the menu open: several statuses are usual ("failed or parked").
                  onSelect={(event) => event.preventDefault()}
                  onCheckedChange={(checked) => toggleStatus(status, checked)}
                >
                  <Icon className={meta.textClassName} />
                  {meta.label}
                </DropdownMenuCheckboxItem>
              );
            })}
            {value.status.length > 0 ? (
              <>
                <DropdownMenuSeparator />
                <DropdownMenuItem onSelect={() => navigate({ status: [] })}>
                  <X /> Any status
                </DropdownMenuItem>
              </>
            ) : null}
          </DropdownMenuContent>
        </DropdownMenu>

        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="outline" size="sm" className={cn("border-dashed", classMeta && "border-solid")} aria-label={classMeta ? `Error class: ${classMeta.label}` : "Filter by error class"}>
              {ClassIcon ? <ClassIcon className="text-muted-foreground" /> : <TriangleAlert className="text-muted-foreground" />}
              {classMeta ? classMeta.label : "Error class"}
              <ChevronDown className="text-muted-foreground" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start" className="w-56">
            <DropdownMenuLabel className="text-xs text-muted-foreground">Filter by error class</DropdownMenuLabel>
            <DropdownMenuCheckboxItem checked={!value.errorClass} onSelect={() => navigate({ errorClass: null })}>
              Any class
            </DropdownMenuCheckboxItem>
            <DropdownMenuSeparator />
            {ERROR_CLASSES.map((errorClass) => {
              const meta = getErrorClassMeta(errorClass);
              const Icon = meta.icon;
              return (
                <DropdownMenuCheckboxItem key={errorClass} checked={value.errorClass === errorClass} onSelect={() => navigate({ errorClass })}>
                  <Icon className="text-muted-foreground" />
                  {meta.label}
                </DropdownMenuCheckboxItem>
              );
            })}
          </DropdownMenuContent>
        </DropdownMenu>

        <div className="flex items-center gap-1.5">
          <label htmlFor="run-from" className="text-xs text-muted-foreground">
            Created from
          </label>
          <Input
            id="run-from"
            type="date"
            value={value.from && /^\d{4}-\d{2}-\d{2}$/.test(value.from) ? value.from : ""}
            max={value.to ?? undefined}
            onChange={(event) => navigate({ from: event.target.value || null })}
            className="h-8 w-36 text-sm dark:[color-scheme:dark]"
          />
          <label htmlFor="run-to" className="text-xs text-muted-foreground">
            to
          </label>
          <Input
            id="run-to"
            type="date"
            value={value.to && /^\d{4}-\d{2}-\d{2}$/.test(value.to) ? value.to : ""}
            min={value.from ?? undefined}
            onChange={(event) => navigate({ to: event.target.value || null })}
            className="h-8 w-36 text-sm dark:[color-scheme:dark]"
          />
        </div>

        {active ? (
          <Button
            variant="ghost"
            size="sm"
            className="text-muted-foreground"
            onClick={() => {
                startTransition(() => router.replace(pathname, { scroll: false }));
            }}
          >
            Reset <X />
          </Button>
        ) : null}
      </div>

      {value.batch || value.fingerprint ? (
        <div className="flex flex-wrap items-center gap-2">
          {value.batch ? (
            <FilterChip icon={Layers} label={batch ? `${BATCH_TRIGGER_LABELS[batch.trigger]} · ${formatAbsoluteDate(new Date(batch.createdAt))}` : "A batch that no longer exists"} onRemove={() => navigate({ batch: null })} removeLabel="Show runs of every batch" />
          ) : null}
          {value.fingerprint ? <FilterChip icon={Fingerprint} label={`Triage group ${value.fingerprint.slice(0, 12)}`} onRemove={() => navigate({ fingerprint: null })} removeLabel="Show every triage group" /> : null}
        </div>
      ) : null}
    </div>
  );
}

function FilterChip({ icon: Icon, label, onRemove, removeLabel }: { icon: typeof Layers; label: string; onRemove: () => void; removeLabel: string }) {
  return (
    <span className="inline-flex h-7 items-center gap-1.5 rounded-md border bg-card pr-1 pl-2 text-xs font-medium shadow-xs">
      <Icon aria-hidden className="size-3.5 text-muted-foreground" />
      <span suppressHydrationWarning>{label || EMPTY_MARK}</span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={removeLabel}
        className="inline-flex size-5 items-center justify-center rounded-sm text-muted-foreground hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      >
        <X aria-hidden className="size-3.5" />
      </button>
    </span>
  );
}
