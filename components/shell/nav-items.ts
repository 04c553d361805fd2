import { Globe, Layers, LayoutDashboard, ListChecks, Settings, Siren, type LucideIcon } from "lucide-react";

export interface NavItem {
  title: string;
  href: string;
  icon: LucideIcon;
  /** One line for tooltips when the sidebar is collapsed. */
  description: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { title: "Overview", href: "/", icon: LayoutDashboard, description: "Where everything stands tonight" },
  { title: "Runs", href: "/runs", icon: ListChecks, description: "Every submission and its attempts" },
  { title: "Triage", href: "/triage", icon: Siren, description: "Terminal fails grouped by fingerprint" },
  { title: "Batches", href: "/batches", icon: Layers, description: "Nightly and manual passes" },
  { title: "Portals", href: "/portals", icon: Globe, description: "OEM portals and their adapters" },
  { title: "Settings", href: "/settings", icon: Settings, description: "Schedules, retries and connections" },
];

/** Pages that live under a section without sharing its path (a case belongs to "Runs"). */
const SECTION_ALIASES: Record<string, string> = { "/cases": "/runs" };

export function isNavItemActive(item: NavItem, pathname: string): boolean {
  if (item.href === "/") return pathname === "/";
  const within = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  return within(item.href) || Object.entries(SECTION_ALIASES).some(([alias, section]) => section === item.href && within(alias));
}

export function findNavItem(pathname: string): NavItem | undefined {
  return NAV_ITEMS.find((item) => isNavItemActive(item, pathname));
}
