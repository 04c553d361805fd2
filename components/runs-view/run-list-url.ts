import type { RunListFilter } from "@/lib/runs/queries/run-list-params";

/** The filter as URL parameters, in a stable order (statuses as one comma list). */
export function runListSearchParams(filter: RunListFilter, page?: { cursor?: string | null; limit?: number | null }): URLSearchParams {
  const query = new URLSearchParams();
  if (filter.q) query.set("q", filter.q);
  if (filter.oem) query.set("oem", filter.oem);
  if (filter.status.length > 0) query.set("status", filter.status.join(","));
  if (filter.errorClass) query.set("errorClass", filter.errorClass);
  if (filter.batch) query.set("batch", filter.batch);
  if (filter.fingerprint) query.set("fingerprint", filter.fingerprint);
  if (filter.from) query.set("from", filter.from);
  if (filter.to) query.set("to", filter.to);
  if (page?.limit) query.set("limit", String(page.limit));
  if (page?.cursor) query.set("cursor", page.cursor);
  return query;
}

/** `/runs?…` for a filter (and a page cursor): the link a person can share. */
export function runListHref(filter: RunListFilter, page?: { cursor?: string | null; limit?: number | null }): string {
  const text = runListSearchParams(filter, page).toString();
  return text ? `/runs?${text}` : "/runs";
}

/** Query keys of the runs view, so a bulk action can refresh every list it may have changed. */
export const runListKeys = {
  all: ["runs-view"] as const,
  list: (search: string) => [...runListKeys.all, "list", search] as const,
};
