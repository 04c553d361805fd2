"use client";

import * as React from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Check, ChevronDown, Globe, ListFilter, X } from "lucide-react";
import { FilterSearch } from "@/components/filters/filter-search";
import { OemBadge } from "@/components/oem/oem-badge";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { CASE_LIST_STATUSES, type CaseListStatus } from "@/lib/cases/case-list-statuses";
import type { CaseListOem } from "@/lib/cases/queries/list-cases";

export interface CaseFiltersProps {
  oems: CaseListOem[];
  /** The filters the server applied (invalid ones already dropped). */
  value: { q: string | null; oem: string | null; status: CaseListStatus | null };
}

/**
 * The list's filters, kept in the URL (`q`, `oem`, `status`) so a filtered view can be shared.
 * Any change goes back to page 1. The search also works as a plain GET form without JavaScript.
 */
export function CaseFilters({ oems, value }: CaseFiltersProps) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = React.useTransition();

  const navigate = React.useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, v] of Object.entries(patch)) {
        if (v) next.set(key, v);
        else next.delete(key);
      }
      next.delete("page");
      const query = next.toString();
      startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    },
    [pathname, router, searchParams],
  );

  const search = React.useCallback((q: string | null) => navigate({ q }), [navigate]);

  const selectedOem = oems.find((oem) => oem.id === value.oem) ?? null;
  const statusMeta = value.status ? getStatusMeta(value.status) : null;
  const StatusIcon = statusMeta?.icon;
  const active = Boolean(value.q || value.oem || value.status);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <FilterSearch id="case-search" label="Search by case reference or CRM id" placeholder="Reference or CRM id…" value={value.q} onSearch={search} pending={pending} className="sm:w-72" />

      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" className={cn("border-dashed", selectedOem && "border-solid")}>
            {selectedOem ? (
              <OemBadge label={selectedOem.label} color={selectedOem.color} monogram={selectedOem.monogram} size="xs" />
            ) : (
              <Globe className="text-muted-foreground" />
            )}
            {selectedOem ? selectedOem.label : "OEM"}
            <ChevronDown className="text-muted-foreground" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-56">
          <DropdownMenuLabel className="text-xs text-muted-foreground">Filter by OEM</DropdownMenuLabel>
          <DropdownMenuItem onSelect={() => navigate({ oem: null })}>
            <Globe /> All OEMs
            {!value.oem ? <Check className="ml-auto" /> : null}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          {oems.map((oem) => (
            <DropdownMenuItem key={oem.id} onSelect={() => navigate({ oem: oem.id })}>
              <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" />
              <span className="truncate">{oem.label}</span>
              {value.oem === oem.id ? <Check className="ml-auto" /> : null}
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>

      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" className={cn("border-dashed", statusMeta && "border-solid")}>
            {StatusIcon && statusMeta ? <StatusIcon className={statusMeta.textClassName} /> : <ListFilter className="text-muted-foreground" />}
            {statusMeta ? statusMeta.label : "Status"}
            <ChevronDown className="text-muted-foreground" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-52">
          <DropdownMenuLabel className="text-xs text-muted-foreground">Filter by status</DropdownMenuLabel>
          <DropdownMenuItem onSelect={() => navigate({ status: null })}>
            <ListFilter /> Any status
            {!value.status ? <Check className="ml-auto" /> : null}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          {CASE_LIST_STATUSES.map((status) => {
            const meta = getStatusMeta(status);
            const Icon = meta.icon;
            return (
              <DropdownMenuItem key={status} onSelect={() => navigate({ status })}>
                <Icon className={meta.textClassName} />
                {meta.label}
                {value.status === status ? <Check className="ml-auto" /> : null}
              </DropdownMenuItem>
            );
          })}
        </DropdownMenuContent>
      </DropdownMenu>

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
  );
}
