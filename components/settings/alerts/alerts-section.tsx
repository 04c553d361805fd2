"use client";

import { BellRing, CircleAlert, CircleCheck, Clock, Info, Mail, Send, Trash2, Webhook } from "lucide-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RequiresRoleFieldset } from "@/components/auth/permission-gate";
import { usePermission } from "@/components/auth/viewer-context";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { errorMessage } from "@/components/query/fetch-json";
import { RelativeTime } from "@/components/relative-time";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AlertDeliveryStatus, AlertMessageType } from "@/lib/alerts/vocabulary";
import { AddDestinationSheet } from "./add-destination-sheet";
import { alertKeys, deleteDestination, fetchAlertSettings, sendTest, updateDestination, type AlertSettingsAnswer, type DeliveryJson, type DestinationJson } from "./alerts-api";

const MESSAGE_LABEL: Record<AlertMessageType, string> = {
  "alert.opened": "Alert",
  "alert.reminder": "Reminder",
  "alert.resolved": "Resolved",
  "digest.ready": "Morning digest",
  test: "Test",
};

const STATUS_META: Record<AlertDeliveryStatus, { label: string; icon: typeof CircleCheck; className: string }> = {
  delivered: { label: "Delivered", icon: CircleCheck, className: "border-status-submitted/25 bg-status-submitted/10 text-status-submitted" },
  pending: { label: "Pending", icon: Clock, className: "border-status-retry/25 bg-status-retry/10 text-status-retry" },
  failed: { label: "Failed", icon: CircleAlert, className: "border-status-failed/25 bg-status-failed/10 text-status-failed" },
};

/** Settings → Alerts and digest: where critical alerts and the morning digest go (admins change, everyone reads), and what was sent. */
export function AlertsSection() {
  const settings = useQuery({
    queryKey: alertKeys.all,
    queryFn: fetchAlertSettings,
    // While something is on its way, follow it.
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === "pending") ? 3_000 : 30_000),
  });
  return (
    <Card role="region" aria-labelledby="alerts-title">
      <CardHeader>
        <CardTitle id="alerts-title" className="flex items-center gap-2">
          <BellRing aria-hidden className="size-4 text-muted-foreground" />
          Alerts and digest
        </CardTitle>
        <CardDescription>
          Who is told at night when a portal is paused for its credentials, a batch is at risk or late, or a portal&apos;s pages changed — and who gets the morning digest. By email or a signed webhook
          (e.g. chat).
        </CardDescription>
        <CardAction>
          <AddDestinationSheet />
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-6 px-0">
        {settings.data ? (
          <>
            <SetupNotes settings={settings.data} />
            <RequiresRoleFieldset role="admin" legend="Alert destinations" noteClassName="mx-6">
              <DestinationsTable destinations={settings.data.destinations} />
            </RequiresRoleFieldset>
            <DeliveriesTable deliveries={settings.data.deliveries} />
          </>
        ) : settings.error ? (
          <div className="px-6">
            <ErrorState title="The alert settings could not be loaded" error={settings.error} reset={() => void settings.refetch()} />
          </div>
        ) : (
          <div className="flex flex-col gap-2 px-6">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function SetupNotes({ settings }: { settings: AlertSettingsAnswer }) {
  const notes: string[] = [];
  if (!settings.emailConfigured && settings.destinations.some((d) => d.kind === "email")) notes.push("Email is not set up on this server (SMTP_URL): email destinations fail until it is.");
  if (!settings.publicUrl) notes.push("NIGHTSHIFT_PUBLIC_URL is not set: messages name dashboard pages (e.g. /batches/…) instead of linking to them.");
  return (
    <div className="flex flex-col gap-2 px-6">
      <p className="text-xs text-muted-foreground">
        One message per open alert and destination, a reminder at most every {settings.reminderHours} h while it stays open, and one when it is resolved. Email from {settings.emailFrom}.
      </p>
      {notes.map((note) => (
        <p key={note} role="note" className="flex items-center gap-2 rounded-md border bg-muted/50 px-3 py-2 text-sm text-muted-foreground">
          <Info aria-hidden className="size-3.5 shrink-0" />
          <span>{note}</span>
        </p>
      ))}
    </div>
  );
}

function DestinationsTable({ destinations }: { destinations: DestinationJson[] }) {
  if (destinations.length === 0) {
    return <EmptyState size="compact" className="mx-6" icon={BellRing} title="Nobody is told yet" description="Add an email address or a webhook: alerts and the digest are only kept on the dashboard until then." />;
  }
  return (
    <Table aria-label="Alert destinations">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead className="pl-6">Destination</TableHead>
          <TableHead className="text-center">Critical alerts</TableHead>
          <TableHead className="text-center">Morning digest</TableHead>
          <TableHead className="text-center">Enabled</TableHead>
          <TableHead className="pr-6 text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {destinations.map((destination) => (
          <DestinationRow key={destination.id} destination={destination} />
        ))}
      </TableBody>
    </Table>
  );
}

function DestinationRow({ destination }: { destination: DestinationJson }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: alertKeys.all });
  const name = destination.label ?? destination.target;
  const update = useMutation({
    mutationFn: updateDestination,
    onSuccess: refresh,
    onError: (error) => toast.error(errorMessage(error, "The destination could not be changed.")),
  });
  const test = useMutation({
    mutationFn: () => sendTest(destination.id),
    onSuccess: async () => {
      toast.success(`Test message queued for ${name}: its status shows below.`);
      await refresh();
    },
    onError: (error) => toast.error(errorMessage(error, "The test message could not be queued.")),
  });
  const remove = useMutation({
    mutationFn: () => deleteDestination(destination.id),
    onSuccess: async () => {
      toast.success(`${name} is no longer told.`);
      await refresh();
    },
    onError: (error) => toast.error(errorMessage(error, "The destination could not be deleted.")),
  });
  const Icon = destination.kind === "email" ? Mail : Webhook;
  const pending = update.isPending || remove.isPending;
  return (
    <TableRow data-destination={destination.target} className={cn(!destination.enabled && "text-muted-foreground")}>
      <TableCell className="py-3 pl-6">
        <div className="flex items-start gap-2">
          <Icon aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
          <div className="flex min-w-0 flex-col gap-0.5">
            <span className="truncate font-medium text-foreground">{destination.label ?? destination.target}</span>
            <span className="truncate text-xs text-muted-foreground">
              {destination.kind === "email" ? "Email" : "Webhook"}
              {destination.label ? ` · ${destination.target}` : ""} · added by {destination.createdBy}
            </span>
          </div>
        </div>
      </TableCell>
      <TableCell className="text-center">
        <Switch aria-label={`${name} receives critical alerts`} checked={destination.receivesAlerts} disabled={pending} onCheckedChange={(value) => update.mutate({ id: destination.id, receivesAlerts: value })} />
      </TableCell>
      <TableCell className="text-center">
        <Switch aria-label={`${name} receives the morning digest`} checked={destination.receivesDigest} disabled={pending} onCheckedChange={(value) => update.mutate({ id: destination.id, receivesDigest: value })} />
      </TableCell>
      <TableCell className="text-center">
        <Switch aria-label={`${name} enabled`} checked={destination.enabled} disabled={pending} onCheckedChange={(value) => update.mutate({ id: destination.id, enabled: value })} />
      </TableCell>
      <TableCell className="py-3 pr-6 text-right">
        <div className="flex justify-end gap-1">
          <Button variant="outline" size="sm" disabled={!destination.enabled || test.isPending} onClick={() => test.mutate()} aria-label={`Send a test message to ${name}`}>
            <Send aria-hidden /> Send test
          </Button>
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button variant="ghost" size="sm" disabled={pending} aria-label={`Delete ${name}`}>
                <Trash2 aria-hidden /> Delete
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Delete {name}?</AlertDialogTitle>
                <AlertDialogDescription>It is told nothing more, and its delivery history goes with it. To pause it instead, switch it off. The deletion is recorded under your name.</AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Keep it</AlertDialogCancel>
                <AlertDialogAction onClick={() => remove.mutate()}>Delete</AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        </div>
      </TableCell>
    </TableRow>
  );
}

function DeliveriesTable({ deliveries }: { deliveries: DeliveryJson[] }) {
  const canChange = usePermission("admin").allowed;
  return (
    <div className="flex flex-col gap-2">
      <h3 className="px-6 text-sm font-medium">Recent deliveries</h3>
      {deliveries.length === 0 ? (
        <p className="px-6 text-sm text-muted-foreground">Nothing sent yet.{canChange ? " Send a test message to check a destination." : ""}</p>
      ) : (
        <Table aria-label="Recent deliveries">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-6">When</TableHead>
              <TableHead>Message</TableHead>
              <TableHead>To</TableHead>
              <TableHead className="pr-6">Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {deliveries.map((delivery) => {
              const meta = STATUS_META[delivery.status];
              const StatusIcon = meta.icon;
              return (
                <TableRow key={delivery.id} data-delivery-status={delivery.status} className="align-top">
                  <TableCell className="py-3 pl-6 text-sm whitespace-nowrap">
                    <RelativeTime date={delivery.createdAt} />
                  </TableCell>
                  <TableCell className="max-w-80 py-3">
                    <span className="block text-xs text-muted-foreground">{MESSAGE_LABEL[delivery.type]}</span>
                    <span className="block truncate text-sm">{delivery.subject.replace(/^\[Nightshift\] /, "")}</span>
                  </TableCell>
                  <TableCell className="max-w-56 truncate py-3 text-sm">{delivery.destination}</TableCell>
                  <TableCell className="py-3 pr-6">
                    <div className="flex flex-col gap-1">
                      <span className={cn("inline-flex w-fit items-center gap-1 rounded-md border px-1.5 py-0.5 text-xs font-medium", meta.className)}>
                        <StatusIcon aria-hidden className="size-3" /> {meta.label}
                        <span className="font-normal tabular-nums">
                          · {delivery.attempts} {delivery.attempts === 1 ? "try" : "tries"}
                        </span>
                      </span>
                      {delivery.lastError ? <span className="max-w-80 text-xs text-muted-foreground">{delivery.lastError}</span> : null}
                      {delivery.status === "pending" && delivery.attempts > 0 && delivery.nextAttemptAt ? (
                        <span className="text-xs text-muted-foreground">
                          Next try <RelativeTime date={delivery.nextAttemptAt} />
                        </span>
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
