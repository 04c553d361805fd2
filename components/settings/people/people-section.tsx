"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Building2, KeyRound, UserCheck, UserX, Users } from "lucide-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { DisabledWithReason, RequiresRoleFieldset } from "@/components/auth/permission-gate";
import { useViewer } from "@/components/auth/viewer-context";
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
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLES, isRole, type Role } from "@/lib/auth/roles";
import { AddPersonSheet } from "./add-person-sheet";
import { fetchPeople, peopleKeys, updatePerson, type PersonJson } from "./people-api";
import { ROLE_META } from "./person-form-model";

/** Settings → People (admins only; the page does not render it for anyone else): who can sign in, their role, disable / enable, add. */
export function PeopleSection() {
  const people = useQuery({ queryKey: peopleKeys.all, queryFn: fetchPeople });
  return (
    <Card role="region" aria-labelledby="people-title">
      <CardHeader>
        <CardTitle id="people-title" className="flex items-center gap-2">
          <Users aria-hidden className="size-4 text-muted-foreground" />
          People
          {people.data ? <span className="text-xs font-normal text-muted-foreground tabular-nums">{people.data.length}</span> : null}
        </CardTitle>
        <CardDescription>Who can sign in and what they may do. Viewers read; ops steer the night and the recipe; admins also change the schedule, portal credentials and people.</CardDescription>
        <CardAction>
          <AddPersonSheet />
        </CardAction>
      </CardHeader>
      <CardContent className="px-0">
        {people.data ? (
          people.data.length === 0 ? (
            <EmptyState size="compact" className="border-none" icon={Users} title="Nobody yet" description="Add a person with a password, or configure the identity provider." />
          ) : (
            <RequiresRoleFieldset role="admin" legend="People" noteClassName="mx-6">
              <PeopleTable people={people.data} />
            </RequiresRoleFieldset>
          )
        ) : people.error ? (
          <div className="px-6">
            <ErrorState title="The people could not be loaded" error={people.error} reset={() => void people.refetch()} />
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

function PeopleTable({ people }: { people: PersonJson[] }) {
  const viewer = useViewer();
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead className="pl-6">Person</TableHead>
          <TableHead className="w-56">Role</TableHead>
          <TableHead>Signs in with</TableHead>
          <TableHead>Last seen</TableHead>
          <TableHead className="pr-6 text-right">Access</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {people.map((person) => (
          <PersonRow key={person.id} person={person} isMe={person.email === viewer.email} />
        ))}
      </TableBody>
    </Table>
  );
}

/** One person: the role picker saves on change; errors (e.g. the last admin) show under it and in a toast. */
function PersonRow({ person, isMe }: { person: PersonJson; isMe: boolean }) {
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [roleError, setRoleError] = useState<string | null>(null);
  const sso = person.signIn.includes("sso");

  const save = useMutation({
    mutationFn: updatePerson,
    onSuccess: async (saved, change) => {
      setRoleError(null);
      if (change.role) toast.success(`${saved.name} now has the ${change.role} role. It applies from their next request.`);
      else toast.success(change.disabled ? `${saved.name} is disabled and signed out everywhere.` : `${saved.name} can sign in again.`);
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all });
      // My own role changed: the whole dashboard re-reads who I am (the People section may go away).
      if (isMe && change.role) router.refresh();
    },
    onError: (error, change) => {
      const message = errorMessage(error, "The change could not be saved.");
      if (change.role) setRoleError(message);
      toast.error(message);
    },
  });

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <TableRow data-person-email={person.email} className={cn("align-top", person.disabled && "text-muted-foreground")}>
      <TableCell className="py-3 pl-6">
        <div className="flex flex-col gap-0.5">
          <span className="flex items-center gap-2 font-medium text-foreground">
            {person.name}
            {isMe ? <span className="rounded border px-1 text-[11px] font-normal text-muted-foreground">you</span> : null}
          </span>
          <span className="text-xs text-muted-foreground">{person.email}</span>
        </div>
      </TableCell>
      <TableCell className="py-3">
        <div className="flex flex-col gap-1.5">
          <NativeSelect
            id={`${id}-role`}
            aria-label={`Role of ${person.name}`}
            aria-describedby={[sso ? hintId : null, roleError ? errorId : null].filter(Boolean).join(" ") || undefined}
            aria-invalid={roleError ? true : undefined}
            value={person.role ?? ""}
            disabled={save.isPending}
            onChange={(event) => {
              const role = event.target.value;
              if (isRole(role)) save.mutate({ id: person.id, role });
            }}
            className="w-44"
          >
            {person.role === null ? (
              <option value="" disabled>
                No role (no access)
              </option>
            ) : null}
            {ROLES.map((role: Role) => (
              <option key={role} value={role}>
                {ROLE_META[role].label}
              </option>
            ))}
          </NativeSelect>
          {sso ? (
            <p id={hintId} className="max-w-56 text-xs text-muted-foreground">
              Managed by the identity provider: their groups set the role again at their next sign-in.
            </p>
          ) : null}
          {roleError ? (
            <p id={errorId} role="alert" className="max-w-56 text-xs font-medium text-destructive">
              {roleError}
            </p>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="py-3">
        <span className="flex flex-wrap gap-1.5">
          {person.signIn.includes("password") ? (
            <span className="inline-flex items-center gap-1 rounded-md border px-1.5 py-0.5 text-xs text-foreground">
              <KeyRound aria-hidden className="size-3 text-muted-foreground" /> Password
            </span>
          ) : null}
          {sso ? (
            <span className="inline-flex items-center gap-1 rounded-md border px-1.5 py-0.5 text-xs text-foreground">
              <Building2 aria-hidden className="size-3 text-muted-foreground" /> SSO
            </span>
          ) : null}
          {person.signIn.length === 0 ? <span className="text-muted-foreground">—</span> : null}
        </span>
      </TableCell>
      <TableCell className="py-3 text-sm whitespace-nowrap">{person.lastSeenAt ? <RelativeTime date={person.lastSeenAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>
      <TableCell className="py-3 pr-6 text-right">
        <div className="flex flex-col items-end gap-1.5">
          {person.disabled ? (
            <span className="inline-flex items-center gap-1 rounded-md border border-status-failed/25 bg-status-failed/10 px-1.5 py-0.5 text-xs font-medium text-status-failed">
              <UserX aria-hidden className="size-3" /> Disabled
            </span>
          ) : (
            <span className="inline-flex items-center gap-1 rounded-md border border-status-submitted/25 bg-status-submitted/10 px-1.5 py-0.5 text-xs font-medium text-status-submitted">
              <UserCheck aria-hidden className="size-3" /> Active
            </span>
          )}
          {person.disabled ? (
            <Button variant="outline" size="sm" disabled={save.isPending} onClick={() => save.mutate({ id: person.id, disabled: false })}>
              Enable
            </Button>
          ) : isMe ? (
            <DisabledWithReason reason="You cannot disable yourself.">
              <Button variant="ghost" size="sm">
                Disable
              </Button>
            </DisabledWithReason>
          ) : (
            <DisablePersonButton person={person} pending={save.isPending} onConfirm={() => save.mutate({ id: person.id, disabled: true })} />
          )}
        </div>
      </TableCell>
    </TableRow>
  );
}

function DisablePersonButton({ person, pending, onConfirm }: { person: PersonJson; pending: boolean; onConfirm: () => void }) {
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="ghost" size="sm" disabled={pending} aria-label={`Disable ${person.name}`}>
          Disable
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Disable {person.name}?</AlertDialogTitle>
          <AlertDialogDescription>
            They are signed out everywhere at once and cannot sign in again until an admin enables them. What they did stays in the audit log under their name.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep access</AlertDialogCancel>
          <AlertDialogAction onClick={onConfirm}>Disable {person.name}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
