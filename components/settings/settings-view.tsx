"use client";

import { useQuery } from "@tanstack/react-query";
import { useViewer } from "@/components/auth/viewer-context";
import type { RecipeOem } from "@/components/recipe/recipe-fields";
import { ErrorState } from "@/components/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { PeopleSection } from "./people/people-section";
import { RecipeHistory } from "./recipe-history";
import { RecipeSettingsForm } from "./recipe-settings-form";
import { ScheduleForm } from "./schedule-form";
import { fetchRecipe, fetchSchedule, settingsKeys } from "./settings-api";

/** Settings: the nightly schedule and the recipe, in forms, with the recipe's history; People for admins. */
export function SettingsView({ oems, kinds }: { oems: readonly RecipeOem[]; kinds: readonly string[] }) {
  // Only admins may list people (GET /api/users answers 403 to anyone else), so nobody else sees the section.
  const isAdmin = useViewer().role === "admin";
  const schedule = useQuery({ queryKey: settingsKeys.schedule, queryFn: fetchSchedule });
  const recipe = useQuery({ queryKey: settingsKeys.recipe, queryFn: fetchRecipe });
  return (
    <div className="flex flex-col gap-6">
      {schedule.data ? (
        <ScheduleForm key={schedule.data.updatedAt ?? "default"} answer={schedule.data} />
      ) : schedule.error ? (
        <ErrorState title="The schedule could not be loaded" error={schedule.error} reset={() => void schedule.refetch()} />
      ) : (
        <Skeleton className="h-56 w-full rounded-xl" />
      )}
      {recipe.data ? (
        <>
          <RecipeSettingsForm key={recipe.data.version ?? "defaults"} answer={recipe.data} oems={oems} kinds={kinds} />
          <RecipeHistory versions={recipe.data.versions} current={recipe.data.version} />
        </>
      ) : recipe.error ? (
        <ErrorState title="The recipe could not be loaded" error={recipe.error} reset={() => void recipe.refetch()} />
      ) : (
        <Skeleton className="h-[32rem] w-full rounded-xl" />
      )}
      {isAdmin ? <PeopleSection /> : null}
    </div>
  );
}
