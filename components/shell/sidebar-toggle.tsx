"use client";

import { PanelLeft } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { useSidebarState } from "./sidebar-state";

/** Top-bar toggle for the desktop sidebar (also Ctrl/Cmd+B). */
export function SidebarToggle() {
  const { collapsed, toggle } = useSidebarState();
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <Button variant="ghost" size="icon-sm" className="hidden md:inline-flex" onClick={toggle} aria-label={collapsed ? "Expand sidebar" : "Collapse sidebar"}>
          <PanelLeft />
        </Button>
      </TooltipTrigger>
      <TooltipContent side="bottom">
        {collapsed ? "Expand" : "Collapse"} sidebar <kbd className="ml-1 font-mono opacity-70">Ctrl B</kbd>
      </TooltipContent>
    </Tooltip>
  );
}
