import { Files, Globe, History, Layers, LayoutDashboard, Settings, Stethoscope, type LucideIcon } from "lucide-react";

export interface NavItem {
  title: string;
  href: string;
  icon: LucideIcon;
  /** One line for tooltips when the sidebar is collapsed. */
  description: string;
}

/** Pages that exist; a section joins the list when its page does (no link may lead to a 404). */
export const NAV_ITEMS: readonly NavItem[] = [
  { title: "Overview", href: "/", icon: LayoutDashboard, description: "Where everything stands tonight" },
  { title: "Cases", href: "/cases", icon: Files, description: "Every case, its latest run and what the CRM was told" },
  { title: "Runs", href: "/runs", icon: History, description: "Every run, filtered and paged; bulk retry and cancel" },
  { title: "Triage", href: "/triage", icon: Stethoscope, description: "Terminal fails grouped by fingerprint, in lanes by who fixes them" },
  { title: "Batches", href: "/batches", icon: Layers, description: "Each night's batch, Run now, progress against the deadline, the morning digest" },
  { title: "Portals", href: "/portals", icon: Globe, description: "Each OEM portal: success rate, attempt time, sessions, pause and resume" },
  { title: "Settings", href: "/settings", icon: Settings, description: "The nightly schedule and the recipe" },
];

/** Whether the item is the current section: its own page or a page below it (a case page is under "Cases"). */
export function isNavItemActive(item: NavItem, pathname: string): boolean {
  if (item.href === "/") return pathname === "/";
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

export function findNavItem(pathname: string): NavItem | undefined {
  return NAV_ITEMS.find((item) => isNavItemActive(item, pathname));
}
