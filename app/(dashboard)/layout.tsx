// The dashboard shell: sidebar, top bar with the environment badge and the signed-in person, width-capped content.
// Every page below also checks the session itself (requireUser): a layout does not guard pages on its own.
import { cookies } from "next/headers";
import { ViewerProvider } from "@/components/auth/viewer-context";
import { AppShell } from "@/components/shell/app-shell";
import { SIDEBAR_COOKIE } from "@/components/shell/sidebar-cookie";
import { getEnv } from "@/lib/config/env";
import { requireUser } from "@/app/_auth/require-user";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const cookieStore = await cookies();
  const collapsed = cookieStore.get(SIDEBAR_COOKIE)?.value === "collapsed";
  const env = getEnv();
  const viewer = { name: user.name, email: user.email, role: user.role, readOnly: env.NIGHTSHIFT_READ_ONLY };
  return (
    <ViewerProvider viewer={viewer}>
      <AppShell env={env.NIGHTSHIFT_ENV} defaultCollapsed={collapsed}>
        {children}
      </AppShell>
    </ViewerProvider>
  );
}
