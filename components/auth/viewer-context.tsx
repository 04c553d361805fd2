"use client";

import * as React from "react";
import { hasRole, type Role } from "@/lib/auth/roles";

/** The signed-in person as the browser knows them (from the server's session check in the dashboard layout). */
export interface Viewer {
  name: string;
  email: string;
  /** null: signed in through SSO, but none of their groups maps to a role. */
  role: Role | null;
  /** NIGHTSHIFT_READ_ONLY: every change is refused for everyone. */
  readOnly: boolean;
}

const ViewerContext = React.createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: React.ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = React.useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer() outside <ViewerProvider>: the dashboard layout provides it.");
  return viewer;
}

const ROLE_REASON: Record<Role, string> = {
  viewer: "Sign in to do this.",
  ops: "Needs the ops role: viewers can look but not act.",
  admin: "Needs the admin role.",
};

/**
 * Whether the viewer may use an action that needs `role`, and if not, why (shown beside a disabled
 * control). The server refuses it anyway; this only keeps people from pressing what would fail.
 */
export function usePermission(role: Role): { allowed: boolean; reason: string | null } {
  const viewer = useViewer();
  if (viewer.readOnly) return { allowed: false, reason: "Read-only mode: changes are switched off for everyone." };
  if (!viewer.role || !hasRole(viewer.role, role)) return { allowed: false, reason: ROLE_REASON[role] };
  return { allowed: true, reason: null };
}
