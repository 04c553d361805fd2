import { AppSidebar } from "./app-sidebar";
import { EnvStripe, type NightshiftEnv } from "./env-badge";
import { ReadOnlyBanner } from "./read-only-banner";
import { SidebarStateProvider } from "./sidebar-state";
import { TopBar } from "./top-bar";

/** Sidebar + top bar + a width-capped content column. */
export function AppShell({ env, defaultCollapsed, children }: { env: NightshiftEnv; defaultCollapsed: boolean; children: React.ReactNode }) {
  return (
    <SidebarStateProvider defaultCollapsed={defaultCollapsed}>
      <EnvStripe env={env} />
      <div className="flex min-h-svh">
        <AppSidebar />
        <div className="flex min-w-0 flex-1 flex-col">
          <TopBar env={env} />
          <ReadOnlyBanner />
          <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 md:px-8 md:py-8 min-[1920px]:max-w-[112rem]">
            {children}
          </main>
        </div>
      </div>
    </SidebarStateProvider>
  );
}
