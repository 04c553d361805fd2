"use client";

import * as React from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, ChevronsLeft, SearchX } from "lucide-react";
import { usePermission } from "@/components/auth/viewer-context";
import { EmptyState } from "@/components/empty-state";
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { OPEN_RUN_STATUSES, isOneOf } from "@/lib/domain/vocabulary";
import { formatCount } from "@/lib/format/number";
import type { RunList } from "@/lib/runs/queries/get-run-list";
import { BulkActionBar, type RunSelection } from "./bulk-action-bar";
import { describeRunFilter } from "./describe-run-filter";
import { runListHref, runListKeys, runListSearchParams } from "./run-list-url";
import { RunsTable, type RunRowJson } from "./runs-table";

export type RunListJson = Jsonified<RunList>;

/** "Select all N matching" acts on the server's resolution of the filter, up to this many runs. */
const SELECT_ALL_CAP = 5_000;

/**
 * The runs list, live: the server renders the first answer, TanStack Query keeps it fresh through
 * `GET /api/runs` with the same parameters (every 5 s while a shown run is open). Holds the
 * selection for bulk actions; a new filter clears it.
 */
export function RunsView({ initial, cursor, limit }: { initial: RunListJson; /** The URL's page cursor and page size (null: newest page, default size). */ cursor: string | null; limit: number | null }) {
  const search = runListSearchParams(initial.filter, { cursor, limit }).toString();
  const query = useQuery({
    queryKey: runListKeys.list(search),
    queryFn: () => fetchJson<RunListJson>(`/api/runs${search ? `?${search}` : ""}`, { cache: "no-store", fallback: "The runs could not be loaded." }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.rows.some((row) => isOneOf(OPEN_RUN_STATUSES, row.status)) ? 5_000 : 30_000),
  });
  const data = query.data;
  // Viewers (and everyone in read-only mode) cannot act on runs: no selection, no bulk bar.
  const canAct = usePermission("ops").allowed;

  // Selected rows by id (kept across pages of one filter), or every run matching the filter.
  const [selected, setSelected] = React.useState<Map<string, RunRowJson>>(new Map());
  const [allMatching, setAllMatching] = React.useState(false);
  const filterKey = runListSearchParams(initial.filter).toString();
  React.useEffect(() => {
    setSelected(new Map());
    setAllMatching(false);
  }, [filterKey]);

  const clear = () => {
    setSelected(new Map());
    setAllMatching(false);
  };
  const toggle = (id: string, checked: boolean) => {
    setSelected((previous) => {
      const next = new Map(previous);
      const row = data.rows.find((r) => r.id === id);
      if (checked && row) next.set(id, row);
      else next.delete(id);
      return next;
    });
  };
  const togglePage = (checked: boolean) => {
    setSelected((previous) => {
      const next = new Map(previous);
      for (const row of data.rows) {
        if (checked) next.set(row.id, row);
        else next.delete(row.id);
      }
      return next;
    });
  };

  const count = data.count;
  const countText = count.capped ? `${formatCount(count.value)}+` : formatCount(count.value);
  const pageAllSelected = data.rows.length > 0 && data.rows.every((row) => selected.has(row.id));
  const moreThanPage = count.capped || count.value > data.rows.length;
  const oemLabel = data.oems.find((oem) => oem.id === data.filter.oem)?.label ?? null;
  const selection: RunSelection | null = !canAct
    ? null
    : allMatching
    ? { kind: "filter", filter: data.filter, count: count.value, oemLabel }
    : selected.size > 0
      ? { kind: "ids", rows: [...selected.values()] }
      : null;

  if (data.rows.length === 0) {
    return (
      <EmptyState
        icon={SearchX}
        title={data.paged ? "No more runs here" : "No runs match these filters"}
        description={data.paged ? "This page is past the last run that matches. Go back to the newest runs." : <>Nothing matches {describeRunFilter(data.filter, data.oems)}. Widen the dates or clear a filter.</>}
        action={
          <Button asChild variant="outline" size="sm">
            <Link href={data.paged ? runListHref(data.filter) : "/runs"}>{data.paged ? "Newest runs" : "Clear filters"}</Link>
          </Button>
        }
        className="bg-card py-16"
      />
    );
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex min-h-11 flex-wrap items-center gap-2">
        {selection ? (
          <div className="flex w-full flex-col gap-2">
            <BulkActionBar selection={selection} onClear={clear} onDone={clear} />
            {!allMatching && pageAllSelected && moreThanPage ? (
              count.capped || count.value > SELECT_ALL_CAP ? (
                <p className="text-xs text-muted-foreground">
                  Every run on this page is selected. More than {formatCount(SELECT_ALL_CAP)} runs match this filter: narrow it (by batch, OEM, status or dates) to act on all of them at once.
                </p>
              ) : (
                <p className="text-xs text-muted-foreground">
                  Every run on this page is selected.{" "}
                  <Button variant="link" size="sm" className="h-auto p-0 text-xs" onClick={() => setAllMatching(true)}>
                    Select all {formatCount(count.value)} runs matching this filter
                  </Button>
                </p>
              )
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-muted-foreground tabular-nums" aria-live="polite">
            <span className="font-medium text-foreground">{countText}</span> {count.value === 1 && !count.capped ? "run matches" : "runs match"}
            {data.paged ? " · an older page" : " · newest first"}
          </p>
        )}
      </div>

      <RunsTable rows={data.rows} selected={new Set(selected.keys())} allMatching={allMatching} onToggle={toggle} onTogglePage={togglePage} selectable={canAct} />

      <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <p className="text-muted-foreground tabular-nums">
          {formatCount(data.rows.length)} on this page
          {query.isFetching ? <span className="sr-only"> (updating)</span> : null}
        </p>
        <div className="flex items-center gap-2">
          {data.prevCursor ? (
            <>
              <Button asChild variant="ghost" size="sm">
                <Link href={runListHref(data.filter, { limit })}>
                  <ChevronsLeft aria-hidden /> Newest
                </Link>
              </Button>
              <Button asChild variant="outline" size="sm">
                <Link href={runListHref(data.filter, { cursor: data.prevCursor, limit })} rel="prev">
                  <ChevronLeft aria-hidden /> Previous
                </Link>
              </Button>
            </>
          ) : (
            <Button variant="outline" size="sm" disabled>
              <ChevronLeft aria-hidden /> Previous
            </Button>
          )}
          {data.nextCursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={runListHref(data.filter, { cursor: data.nextCursor, limit })} rel="next">
                Next <ChevronRight aria-hidden />
              </Link>
            </Button>
          ) : (
            <Button variant="outline" size="sm" disabled>
              Next <ChevronRight aria-hidden />
            </Button>
          )}
        </div>
      </nav>
    </div>
  );
}
