"use client";

import { EnvironmentSection } from "./environment-section";
import { PromoteCard } from "./promote-card";

/** Settings → Environment (the doctor's report) and Promote (settings from stage to prod). */
export function EnvironmentSettings() {
  return (
    <>
      <EnvironmentSection />
      <PromoteCard />
    </>
  );
}
