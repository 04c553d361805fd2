import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/lib/format/number";

export interface CasesPaginationProps {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  /** The list URL for a page, keeping the filters. */
  hrefFor: (page: number) => string;
}

/** "Showing 51–100 of 1,204 cases" with previous / next links (plain links: work without JavaScript). */
export function CasesPagination({ page, pageCount, pageSize, total, hrefFor }: CasesPaginationProps) {
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground tabular-nums">
        Showing <span className="font-medium text-foreground">{formatCount(from)}–{formatCount(to)}</span> of{" "}
        <span className="font-medium text-foreground">{formatCount(total)}</span> {total === 1 ? "case" : "cases"}
      </p>
      {pageCount > 1 ? (
        <div className="flex items-center gap-2">
          <span className="mr-1 text-xs text-muted-foreground tabular-nums">
            Page {formatCount(page)} of {formatCount(pageCount)}
          </span>
          {page > 1 ? (
            <Button asChild variant="outline" size="sm">
              <Link href={hrefFor(page - 1)} rel="prev">
                <ChevronLeft /> Previous
              </Link>
            </Button>
          ) : (
            <Button variant="outline" size="sm" disabled>
              <ChevronLeft /> Previous
            </Button>
          )}
          {page < pageCount ? (
            <Button asChild variant="outline" size="sm">
              <Link href={hrefFor(page + 1)} rel="next">
                Next <ChevronRight />
              </Link>
            </Button>
          ) : (
            <Button variant="outline" size="sm" disabled>
              Next <ChevronRight />
            </Button>
          )}
        </div>
      ) : null}
    </nav>
  );
}
