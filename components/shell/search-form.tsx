"use client";

import * as React from "react";
import { Search } from "lucide-react";
import { Input } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";

/**
 * Global search by case reference: a plain GET form to `/cases?q=` (works without JavaScript).
 * "/" focuses it from anywhere on the page.
 */
export function SearchForm({ className, onSubmitted, shortcut = false }: { className?: string; onSubmitted?: () => void; shortcut?: boolean }) {
  const inputRef = React.useRef<HTMLInputElement>(null);

  React.useEffect(() => {
    if (!shortcut) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target?.tagName ?? "");
      if (event.key === "/" && !typing) {
        event.preventDefault();
        inputRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [shortcut]);

  return (
    <form role="search" action="/cases" method="get" onSubmit={onSubmitted} className={cn("relative", className)}>
      <label htmlFor={shortcut ? "global-search" : undefined} className="sr-only">
        Search by case reference
      </label>
      <Search aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
      <Input
        ref={inputRef}
        id={shortcut ? "global-search" : undefined}
        name="q"
        type="search"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search case reference…"
        className="h-8 bg-muted/40 pr-8 pl-8 text-sm shadow-none dark:bg-input/20"
      />
      {shortcut ? (
        <kbd className="pointer-events-none absolute top-1/2 right-2 hidden h-5 -translate-y-1/2 items-center rounded border bg-background px-1.5 font-mono text-[10px] text-muted-foreground sm:inline-flex">
          /
        </kbd>
      ) : null}
    </form>
  );
}
