"use client";

import * as React from "react";
import { usePathname } from "next/navigation";
import { LoaderCircle, Search } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";

export interface FilterSearchProps {
  /** The input's id (its label points at it). */
  id: string;
  /** What the search does, for screen readers. */
  label: string;
  placeholder: string;
  /** The search the server applied (the URL's `q`). */
  value: string | null;
  /** Called with the trimmed text (null when empty) on submit and a moment after the last key; keep it stable. */
  onSearch: (q: string | null) => void;
  /** A navigation is under way: a spinner in the box. */
  pending: boolean;
  className?: string;
}

/**
 * The search box of a filtered list (cases, runs): search as you type after 300 ms, follows the
 * URL when it changes from outside (top-bar search, back button), and works as a plain GET form
 * without JavaScript.
 */
export function FilterSearch({ id, label, placeholder, value, onSearch, pending, className }: FilterSearchProps) {
  const pathname = usePathname();
  const [q, setQ] = React.useState(value ?? "");

  React.useEffect(() => setQ(value ?? ""), [value]);

  React.useEffect(() => {
    const trimmed = q.trim();
    if (trimmed === (value ?? "")) return;
    const timer = window.setTimeout(() => onSearch(trimmed || null), 300);
    return () => window.clearTimeout(timer);
  }, [q, value, onSearch]);

  return (
    <form
      role="search"
      action={pathname}
      method="get"
      className={cn("relative w-full", className)}
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(q.trim() || null);
      }}
    >
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Search aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
      <Input
        id={id}
        name="q"
        type="search"
        value={q}
        onChange={(event) => setQ(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        className="h-8 pr-8 pl-8 text-sm"
      />
      {pending ? <LoaderCircle aria-label="Updating" className="absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 animate-spin text-muted-foreground" /> : null}
    </form>
  );
}
