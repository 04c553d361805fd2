// Generic overlay dismissal (issue 12): a dialog or full-viewport overlay that blocks clicks is
// closed with a non-destructive close/acknowledge button (never one on the deny-list), else with
// Escape. The overlay's own words are reported, so an approved dismiss action can later be keyed
// to it. Known pop-ups stop being special cases once adapters use this.

import type { Page } from "playwright-core";
import { chooseDismissButton, isDestructiveName, normaliseText } from "@/lib/healing";
import { isNavigationRace, runProbe, type ProbeOverlay, type ProbeOverlayInfo } from "./page-probe";

const BUTTON_MARKER = "data-ns-heal-dismiss";
const ROOT_MARKER = "data-ns-heal-overlay";
const DEFAULT_TIMEOUT_MS = 3_000;

export type OverlayDismissal =
  | { action: "none" }
  | { action: "clicked"; overlay: ProbeOverlayInfo; button: string; refused: string[]; navigated: boolean }
  | { action: "escape"; overlay: ProbeOverlayInfo; refused: string[] }
  | { action: "still_blocked"; overlay: ProbeOverlayInfo; refused: string[]; tried: Array<"click" | "escape">; button: string | null };

/**
 * Detects the topmost overlay that blocks clicks (a modal dialog, or a dialog or fixed
 * full-viewport element that receives clicks at the viewport's centre or quarters) and gets rid of
 * it. Returns `none` when nothing blocks. One overlay per call: call again until `none`.
 */
/** A person's approved way to dismiss one overlay (from the resolved-action cache). */
export type ApprovedDismiss = { type: "click"; buttonName: string } | { type: "escape" };

export async function dismissBlockingOverlay(page: Page, options: { timeoutMs?: number; approved?: (overlay: ProbeOverlayInfo) => ApprovedDismiss | null } = {}): Promise<OverlayDismissal> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A page still navigating has no overlay to dismiss yet (its context is destroyed under the probe).
  const found: ProbeOverlay = await runProbe<ProbeOverlay>(page.locator(":root"), { mode: "overlay", marker: BUTTON_MARKER, rootMarker: ROOT_MARKER }).catch((error: unknown): ProbeOverlay => {
    if (isNavigationRace(error)) return { found: false };
    throw error;
  });
  if (!found.found) return { action: "none" };
  const { overlay, buttons } = found;
  // An approved action for this overlay comes first (its button by name, never a destructive one);
  // else the generic rules.
  const approved = options.approved?.(overlay) ?? null;
  const approvedIndex = approved?.type === "click" ? buttons.findIndex((name) => normaliseText(name) === normaliseText(approved.buttonName) && !isDestructiveName(name)) : -1;
  const generic = chooseDismissButton(buttons);
  const choice =
    approved?.type === "escape"
      ? { ...generic, index: null, name: null }
      : approvedIndex >= 0
        ? { ...generic, index: approvedIndex, name: buttons[approvedIndex]! }
        : generic;
  const root = page.locator(`[${ROOT_MARKER}]`).first();
  const tried: Array<"click" | "escape"> = [];
  try {
    if (choice.index !== null && choice.name !== null) {
      tried.push("click");
      let navigated = false;
      const onNavigated = (frame: unknown) => {
        if (frame === page.mainFrame()) navigated = true;
      };
      page.on("framenavigated", onNavigated);
      try {
        await page.locator(`[${BUTTON_MARKER}="${choice.index}"]`).click({ timeout });
        await root.waitFor({ state: "hidden", timeout }).catch(() => {});
        if (navigated) await page.waitForLoadState("domcontentloaded", { timeout }).catch(() => {});
      } finally {
        page.off("framenavigated", onNavigated);
      }
      if (navigated || !(await root.isVisible().catch(() => false))) return { action: "clicked", overlay, button: choice.name, refused: choice.refused, navigated };
    }
    tried.push("escape");
    await page.keyboard.press("Escape");
    const gone = await root
      .waitFor({ state: "hidden", timeout })
      .then(() => true)
      .catch(() => false);
    if (gone) return { action: "escape", overlay, refused: choice.refused };
    return { action: "still_blocked", overlay, refused: choice.refused, tried, button: choice.name };
  } finally {
    await page
      .evaluate(([buttonMarker, rootMarker]) => {
        document.querySelectorAll(`[${buttonMarker}], [${rootMarker}]`).forEach((el) => {
          el.removeAttribute(buttonMarker);
          el.removeAttribute(rootMarker);
        });
      }, [BUTTON_MARKER, ROOT_MARKER] as const)
      .catch(() => {});
  }
}
