// Page state from an accessibility snapshot (Playwright `ariaSnapshot()` YAML), issue 12:
// - `stripValues`: the snapshot without what was typed or chosen (case data never reaches the
//   baseline, the review queue or the failure card);
// - `pageFingerprint`: a short hash of the page's controls (role and name, in order, dialogs left
//   out), the key resolved actions are stored under: equal for every case on the same page design.

import { createHash } from "node:crypto";

const CONTROL_ROLES = new Set(["textbox", "searchbox", "spinbutton", "combobox", "listbox", "checkbox", "switch", "radio", "button", "link"]);
const VALUE_ROLES = new Set(["textbox", "searchbox", "spinbutton", "combobox"]);
const OVERLAY_ROLES = new Set(["dialog", "alertdialog"]);

/** `  - textbox "VIN" [required]: 1AR…` → indent, role, quoted name, the rest. */
const LINE = /^(\s*)- '?([a-z]+)(?: ("(?:[^"\\]|\\.)*"))?(.*)$/;

function parseName(quoted: string | undefined): string {
  if (!quoted) return "";
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** The snapshot with typed and selected values removed (`textbox "VIN": 1AR…` → `textbox "VIN"`). */
export function stripValues(aria: string): string {
  return aria
    .split("\n")
    .map((line) => {
      const match = LINE.exec(line);
      if (!match || !VALUE_ROLES.has(match[2]!)) return line;
      const rest = match[4] ?? "";
      const colon = rest.search(/:(\s|$)/);
      const kept = colon >= 0 ? rest.slice(0, colon) : rest;
      const quote = line.trimStart().startsWith("- '") ? "'" : "";
      return `${match[1]}- ${quote}${match[2]}${match[3] ? ` ${match[3]}` : ""}${kept.replace(/'$/, "")}${quote}`;
    })
    .join("\n");
}

/** The page's controls as `role "name"` lines (digits as `#`), in order, without anything inside a dialog. */
export function controlOutline(aria: string): string[] {
  const outline: string[] = [];
  let skipDeeperThan: number | null = null;
  for (const line of aria.split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const indent = match[1]!.length;
    if (skipDeeperThan !== null) {
      if (indent > skipDeeperThan) continue;
      skipDeeperThan = null;
    }
    const role = match[2]!;
    if (OVERLAY_ROLES.has(role)) {
      skipDeeperThan = indent;
      continue;
    }
    // Numbers in names are the case's (a link to "CI-4821-0093", "3 filings"), not the design's.
    if (CONTROL_ROLES.has(role)) outline.push(`${role} ${JSON.stringify(parseName(match[3]).replace(/\d+/g, "#"))}`);
  }
  return outline;
}

/** 16 hex digits of SHA-256 over the control outline. */
export function pageFingerprint(aria: string): string {
  return createHash("sha256").update(controlOutline(aria).join("\n")).digest("hex").slice(0, 16);
}
