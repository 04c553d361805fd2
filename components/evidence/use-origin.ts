"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** The page's origin in the browser; null while rendering on the server (then the first client render fills it in without a hydration mismatch). */
export function useOrigin(): string | null {
  return useSyncExternalStore(
    subscribe,
    () => window.location.origin,
    () => null,
  );
}
