"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { cn } from "@/components/ui/cn";
import { NAV_ITEMS, isNavItemActive } from "./nav-items";

/** The primary navigation; `collapsed` shows icons only, with the label in a tooltip. */
export function SidebarNav({ collapsed = false, onNavigate }: { collapsed?: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {NAV_ITEMS.map((item) => {
        const active = isNavItemActive(item, pathname);
        const Icon = item.icon;
        const link = (
          <Link
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            data-active={active}
            className={cn(
              "group/nav flex h-8 items-center gap-2.5 rounded-md px-2 text-sm text-sidebar-foreground/70 outline-none transition-colors",
              "hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-2 focus-visible:ring-sidebar-ring",
              "data-[active=true]:bg-sidebar-accent data-[active=true]:font-medium data-[active=true]:text-sidebar-accent-foreground",
              collapsed && "w-8 justify-center px-0",
            )}
          >
            <Icon aria-hidden className="size-4 shrink-0 group-data-[active=true]/nav:text-brand" />
            <span className={cn("truncate", collapsed && "sr-only")}>{item.title}</span>
          </Link>
        );
        if (!collapsed) return <div key={item.href}>{link}</div>;
        return (
          <Tooltip key={item.href}>
            <TooltipTrigger asChild>{link}</TooltipTrigger>
            <TooltipContent side="right" sideOffset={8}>
              {item.title}
            </TooltipContent>
          </Tooltip>
        );
      })}
    </nav>
  );
}
