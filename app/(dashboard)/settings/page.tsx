// Settings: the nightly schedule (admin) and the recipe the nightly batch uses (ops), in forms; People (admin).
import type { Metadata } from "next";
import { AlertsSection } from "@/components/settings/alerts/alerts-section";
import { SettingsView } from "@/components/settings/settings-view";
import { EnvironmentSettings } from "@/components/settings/environment/environment-settings";
import { listCaseKinds } from "@/lib/cases/queries/list-case-kinds";
import { getSharedDatabase } from "@/lib/db/shared";
import { OEM_CATALOG } from "@/lib/oems/catalog";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireUser();
  const kinds = await listCaseKinds(getSharedDatabase().db);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h2 className="text-xl font-semibold tracking-tight">Settings</h2>
        <p className="text-sm text-muted-foreground">When the nightly batch runs, by when it must be done, and what it files. Every change is recorded with who made it.</p>
      </div>
      <SettingsView oems={OEM_CATALOG} kinds={kinds} />
      <EnvironmentSettings />
      <AlertsSection />
    </div>
  );
}
