"use client";

import { ChevronDown, LogOut, ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { signOut } from "./sign-out-button";
import { useViewer } from "./viewer-context";

const ROLE_IN_WORDS = {
  viewer: "Can look at everything; changes nothing.",
  ops: "Runs the night: Run now, retries, portals, batch parameters.",
  admin: "Also the schedule, portal credentials and people.",
} as const;

function initials(name: string): string {
  const parts = name.replace(/@.*/, "").split(/[\s._-]+/).filter(Boolean);
  return (parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0] ?? "?").slice(0, 2)).toUpperCase();
}

/** The signed-in person in the top bar: name and role, and Sign out. */
export function UserMenu() {
  const viewer = useViewer();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="h-9 gap-2 px-1.5 sm:pr-2" aria-label={`${viewer.name}, ${viewer.role ?? "no role"}: account menu`}>
          <span aria-hidden className="flex size-7 items-center justify-center rounded-full bg-brand/15 text-xs font-semibold text-brand">
            {initials(viewer.name)}
          </span>
          <span className="hidden flex-col items-start leading-tight md:flex">
            <span className="max-w-36 truncate text-sm font-medium">{viewer.name}</span>
            <span className="text-xs text-muted-foreground capitalize">{viewer.role ?? "no role"}</span>
          </span>
          <ChevronDown className="hidden size-3.5 text-muted-foreground md:block" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="flex flex-col gap-0.5 font-normal">
          <span className="truncate text-sm font-medium">{viewer.name}</span>
          <span className="truncate text-xs text-muted-foreground">{viewer.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <div className="flex gap-2 px-2 py-1.5 text-xs text-muted-foreground">
          <ShieldCheck className="mt-0.5 size-3.5 shrink-0 text-foreground" />
          <span>
            <span className="font-medium text-foreground capitalize">{viewer.role ?? "No role"}</span>
            {viewer.role ? ` · ${ROLE_IN_WORDS[viewer.role]}` : null}
          </span>
        </div>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOut />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
