// 404: a calm page with a way back (also where not-yet-built sections land for now).
import Link from "next/link";
import { ArrowLeft, Compass } from "lucide-react";
import { BrandMark } from "@/components/shell/brand-mark";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-svh flex-col items-center justify-center gap-8 px-4 py-16">
      <Link href="/" className="flex items-center gap-2.5 text-sm font-semibold tracking-tight">
        <BrandMark /> Nightshift
      </Link>
      <div className="flex w-full max-w-md flex-col items-center gap-5 rounded-xl border bg-card p-8 text-center shadow-xs">
        <span className="flex size-11 items-center justify-center rounded-xl border bg-muted/50 text-muted-foreground">
          <Compass aria-hidden className="size-5" />
        </span>
        <div className="flex flex-col gap-1.5">
          <p className="font-mono text-xs text-muted-foreground">404</p>
          <h1 className="text-lg font-semibold tracking-tight">This page is not here</h1>
          <p className="text-sm text-pretty text-muted-foreground">
            The address may be mistyped, or this part of Nightshift is not open yet. The overview always shows where every case stands.
          </p>
        </div>
        <Button asChild size="sm">
          <Link href="/">
            <ArrowLeft /> Back to the overview
          </Link>
        </Button>
      </div>
    </main>
  );
}
