import { UserMenu } from "@/components/auth/user-menu";
import { Separator } from "@/components/ui/separator";
import { EnvBadge, type NightshiftEnv } from "./env-badge";
import { MobileNav } from "./mobile-nav";
import { PageTitle } from "./page-title";
import { SearchForm } from "./search-form";
import { SidebarToggle } from "./sidebar-toggle";
import { ThemeToggle } from "./theme-toggle";

/** The sticky top bar: navigation toggle, page title, search, environment, theme, the signed-in person. */
export function TopBar({ env }: { env: NightshiftEnv }) {
  return (
    <header className="sticky top-0 z-40 flex h-14 shrink-0 items-center gap-2 border-b bg-background/85 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/70 md:px-4">
      <MobileNav />
      <SidebarToggle />
      <Separator orientation="vertical" className="mx-1 data-[orientation=vertical]:h-4" />
      <PageTitle />
      <div className="ml-auto flex items-center gap-2">
        <SearchForm shortcut className="hidden w-56 sm:block lg:w-72" />
        <EnvBadge env={env} />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
