// The dashboard shell: sidebar, top bar with the environment badge, width-capped content.
import { cookies } from "next/headers";
import { AppShell } from "@/components/shell/app-shell";
import { SIDEBAR_COOKIE } from "@/components/shell/sidebar-cookie";
import { getEnv } from "@/lib/config/env";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const cookieStore = await cookies();
  const collapsed = cookieStore.get(SIDEBAR_COOKIE)?.value === "collapsed";
  return (
    <AppShell env={getEnv().NIGHTSHIFT_ENV} defaultCollapsed={collapsed}>
      {children}
    </AppShell>
  );
}
