"use client";

import { Play } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RequiresRole } from "@/components/auth/permission-gate";
import { errorMessage, postJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { portalKeys } from "@/components/portals/portals-query";
import { overviewKeys } from "./overview-query";

/** Resumes a paused portal (POST /api/portals/:oem/resume), then refreshes the overview and the Portals page. */
export function ResumePortalButton({ oemId, label }: { oemId: string; label: string }) {
  const queryClient = useQueryClient();
  const resume = useMutation({
    mutationFn: () => postJson<{ ok: true }>(`/api/portals/${encodeURIComponent(oemId)}/resume`, undefined, { fallback: `Could not resume ${label}.` }),
    onSuccess: async () => {
      toast.success(`${label} resumed: its queued cases will be filed again.`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: overviewKeys.all }), queryClient.invalidateQueries({ queryKey: portalKeys.all })]);
    },
    onError: (error) => toast.error(errorMessage(error, `Could not resume ${label}.`)),
  });
  return (
    <RequiresRole role="ops">
      <Button size="sm" variant="outline" onClick={() => resume.mutate()} disabled={resume.isPending}>
        <Play aria-hidden />
        {resume.isPending ? "Resuming…" : "Resume portal"}
      </Button>
    </RequiresRole>
  );
}
