"use client";

import { usePathname } from "next/navigation";
import { findNavItem } from "./nav-items";

/** The current section's title, derived from the path. */
export function PageTitle() {
  const pathname = usePathname();
  const item = findNavItem(pathname);
  return <h1 className="truncate text-sm font-semibold tracking-tight">{item?.title ?? "Nightshift"}</h1>;
}
