import Link from "next/link";
import { ChevronRight } from "lucide-react";

export interface Crumb {
  label: React.ReactNode;
  /** Omitted for the current page (the last crumb). */
  href?: string;
}

/** The trail back from a detail page: links, then the current page (`aria-current`). */
export function Breadcrumbs({ items }: { items: readonly Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb">
      <ol className="flex items-center gap-1.5 text-xs text-muted-foreground">
        {items.map((item, index) => (
          <li key={index} className="flex items-center gap-1.5">
            {index > 0 ? <ChevronRight aria-hidden className="size-3" /> : null}
            {item.href ? (
              <Link href={item.href} className="transition-colors hover:text-foreground">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page" className="font-medium text-foreground">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
