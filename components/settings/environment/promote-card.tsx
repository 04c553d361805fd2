"use client";

import { ArrowRightLeft, Download, FileUp } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { toast } from "sonner";
import { RequiresRole } from "@/components/auth/permission-gate";
import { errorMessage } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAbsoluteDate } from "@/lib/format/date";
import { applyImport, previewImport, type ImportResult } from "./environment-api";

interface Pending {
  fileName: string;
  document: unknown;
  preview: ImportResult;
}

/**
 * Settings → Promote: download this environment's schedule, recipe and portal limits as a file,
 * or import one (admins): the file is previewed as a diff first, and applied only on Confirm.
 */
export function PromoteCard() {
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [pending, setPending] = useState<Pending | null>(null);
  const preview = useMutation({
    mutationFn: async (file: File) => {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not a JSON file: export one with the Export button.`);
      }
      return { fileName: file.name, document, preview: await previewImport(document) };
    },
    onSuccess: setPending,
    onError: (error) => toast.error(errorMessage(error, "The settings file could not be read.")),
  });
  const apply = useMutation({
    mutationFn: (document: unknown) => applyImport(document),
    onSuccess: async (result) => {
      setPending(null);
      toast.success(result.changes.length === 0 ? "Nothing to change: these settings were already in place." : `Imported ${result.changes.length} change${result.changes.length === 1 ? "" : "s"} from ${result.exportedFrom.env}.`);
      await client.invalidateQueries({ queryKey: ["settings"] });
    },
    onError: (error) => toast.error(errorMessage(error, "The settings could not be imported.")),
  });
  return (
    <Card role="region" aria-labelledby="promote-title">
      <CardHeader>
        <CardTitle id="promote-title" className="flex items-center gap-2">
          <ArrowRightLeft aria-hidden className="size-4 text-muted-foreground" />
          Promote
        </CardTitle>
        <CardDescription>Move the schedule, recipe and per-portal limits rehearsed on stage to prod as a file: export here, import there, check the changes, confirm. Every import is recorded with who made it.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="outline" size="sm" asChild>
            <a href="/api/settings/export" download>
              <Download aria-hidden /> Export settings
            </a>
          </Button>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept="application/json,.json"
            className="sr-only"
            aria-label="Settings file to import"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file) preview.mutate(file);
            }}
          />
          <RequiresRole role="admin" showReason>
            <Button variant="outline" size="sm" onClick={() => input.current?.click()} disabled={preview.isPending}>
              <FileUp aria-hidden /> {preview.isPending ? "Reading…" : "Import settings…"}
            </Button>
          </RequiresRole>
        </div>
        {pending ? (
          <div className="flex flex-col gap-3 rounded-lg border p-4" aria-live="polite" data-testid="import-preview">
            <div className="flex flex-col gap-0.5">
              <p className="text-sm font-medium">
                {pending.preview.changes.length === 0 ? "This file changes nothing here." : `${pending.preview.changes.length} change${pending.preview.changes.length === 1 ? "" : "s"} from ${pending.preview.exportedFrom.env}`}
              </p>
              <p className="text-xs text-muted-foreground">
                {pending.fileName} · exported {formatAbsoluteDate(new Date(pending.preview.exportedFrom.at))} by {pending.preview.exportedFrom.by}
              </p>
            </div>
            {pending.preview.changes.length > 0 ? (
              <ul className="flex list-disc flex-col gap-1 pl-5 text-sm">
                {pending.preview.changes.map((change) => (
                  <li key={change.field}>{change.sentence}</li>
                ))}
              </ul>
            ) : null}
            <div className="flex gap-2">
              <Button size="sm" onClick={() => apply.mutate(pending.document)} disabled={apply.isPending || pending.preview.changes.length === 0}>
                {apply.isPending ? "Importing…" : "Confirm import"}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setPending(null)} disabled={apply.isPending}>
                Cancel
              </Button>
            </div>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
