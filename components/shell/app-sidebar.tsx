"use client";

import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { BrandMark } from "./brand-mark";
import { SidebarNav } from "./sidebar-nav";
import { useSidebarState } from "./sidebar-state";

/** The desktop sidebar (md and up); collapsible to an icon rail. Mobile uses MobileNav. */
export function AppSidebar() {
  const { collapsed } = useSidebarState();
  return (
    <aside
      data-slot="sidebar"
      data-collapsed={collapsed}
      className={cn(
        "hidden shrink-0 border-r border-sidebar-border bg-sidebar text-sidebar-foreground transition-[width] duration-200 ease-out md:block",
        collapsed ? "w-14" : "w-60",
      )}
    >
      <div className="sticky top-0 flex h-svh flex-col">
        <div className={cn("flex h-14 items-center gap-2.5 px-3.5", collapsed && "justify-center px-0")}>
          <Link href="/" className="flex items-center gap-2.5 rounded-md outline-none focus-visible:ring-2 focus-visible:ring-sidebar-ring">
            <BrandMark />
            <span className={cn("text-sm font-semibold tracking-tight", collapsed && "sr-only")}>Nightshift</span>
          </Link>
        </div>
        <div className={cn("flex-1 overflow-y-auto px-3 pt-2", collapsed && "flex flex-col items-center px-0")}>
          {!collapsed ? <p className="px-2 pb-2 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">Operations</p> : null}
          <SidebarNav collapsed={collapsed} />
        </div>
      </div>
    </aside>
  );
}
