import { History } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RecipeVersionSummary } from "./settings-api";

/** Every saved version of the recipe: who, when, why. Batches record the version they ran. */
export function RecipeHistory({ versions, current }: { versions: readonly RecipeVersionSummary[]; current: number | null }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <History aria-hidden className="size-4 text-muted-foreground" />
          Version history
        </CardTitle>
        <CardDescription>Each save is a new version; a batch shows the version it ran with.</CardDescription>
      </CardHeader>
      <CardContent>
        {versions.length === 0 ? (
          <EmptyState size="compact" className="border-none" icon={History} title="No saved versions yet" description="The defaults apply until someone saves the recipe." />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-20">Version</TableHead>
                <TableHead>Note</TableHead>
                <TableHead>By</TableHead>
                <TableHead className="text-right">Saved</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {versions.map((version) => (
                <TableRow key={version.version}>
                  <TableCell className="font-medium tabular-nums">
                    v{version.version}
                    {version.version === current ? <span className="ml-2 text-xs font-normal text-muted-foreground">current</span> : null}
                  </TableCell>
                  <TableCell className="max-w-md truncate text-muted-foreground">{version.note || "—"}</TableCell>
                  <TableCell>{version.author}</TableCell>
                  <TableCell className="text-right">
                    <RelativeTime date={new Date(version.createdAt)} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
