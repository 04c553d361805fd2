"use client";

import { Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** Resumes a paused portal (POST /api/portals/:oem/resume), then refreshes the page. */
export function ResumePortalButton({ oemId, label }: { oemId: string; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const resume = () =>
    startTransition(async () => {
      const response = await fetch(`/api/portals/${encodeURIComponent(oemId)}/resume`, { method: "POST" });
      if (response.ok) {
        toast.success(`${label} resumed: its queued cases will be filed again.`);
        router.refresh();
      } else {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        toast.error(body?.error?.message ?? `Could not resume ${label}.`);
      }
    });
  return (
    <Button size="sm" variant="outline" onClick={resume} disabled={pending}>
      <Play aria-hidden />
      {pending ? "Resuming…" : "Resume portal"}
    </Button>
  );
}
