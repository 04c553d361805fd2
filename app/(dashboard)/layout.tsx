// The dashboard shell: sidebar, top bar with the environment badge, width-capped content.
import { cookies } from "next/headers";
import { ViewerProvider } from "@/components/auth/viewer-context";
import { AppShell } from "@/components/shell/app-shell";
import { SIDEBAR_COOKIE } from "@/components/shell/sidebar-cookie";
import { getEnv } from "@/lib/config/env";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const cookieStore = await cookies();
  const collapsed = cookieStore.get(SIDEBAR_COOKIE)?.value === "collapsed";
  const env = getEnv();
  // Until sign-in lands, the dashboard actor (lib/auth/resolve-actor.ts) is the viewer.
  const viewer = { name: "Dashboard", email: "dashboard", role: "admin" as const, readOnly: env.NIGHTSHIFT_READ_ONLY };
  return (
    <ViewerProvider viewer={viewer}>
      <AppShell env={env.NIGHTSHIFT_ENV} defaultCollapsed={collapsed}>
        {children}
      </AppShell>
    </ViewerProvider>
  );
}
