"use client";

import { Menu } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { BrandMark } from "./brand-mark";
import { SearchForm } from "./search-form";
import { SidebarNav } from "./sidebar-nav";
import { useSidebarState } from "./sidebar-state";

/** The navigation as a sheet from the left, below the md breakpoint. */
export function MobileNav() {
  const { mobileOpen, setMobileOpen } = useSidebarState();
  return (
    <Sheet open={mobileOpen} onOpenChange={setMobileOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon-sm" className="md:hidden" aria-label="Open navigation">
          <Menu />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" className="w-72 gap-0 bg-sidebar p-0 text-sidebar-foreground">
        <SheetHeader className="flex-row items-center gap-2.5 border-b px-4 py-3.5">
          <BrandMark />
          <SheetTitle className="text-sm tracking-tight">Nightshift</SheetTitle>
          <SheetDescription className="sr-only">Main navigation</SheetDescription>
        </SheetHeader>
        <div className="flex flex-col gap-4 p-3">
          <SearchForm onSubmitted={() => setMobileOpen(false)} />
          <SidebarNav onNavigate={() => setMobileOpen(false)} />
        </div>
      </SheetContent>
    </Sheet>
  );
}
