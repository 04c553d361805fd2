// The code that runs inside the page: one pass computes fingerprints (role, accessible name, label,
// attributes, ancestors, nearby text, place among same-role siblings), finds candidates, checks
// what would receive a click, and finds blocking overlays. It is sent as source text with a
// harmless `__name` in scope, because transpilers that keep function names (tsx, esbuild) insert
// `__name(...)` calls that do not exist in the page.

import type { Locator } from "playwright-core";
import type { ElementFingerprint } from "@/lib/healing";

/** Elements the probe treats as interactive when it collects candidates or overlay buttons. */
const INTERACTIVE = "a[href], area[href], button, input, select, textarea, [role], [contenteditable=''], [contenteditable='true']";

export type ProbeRequest =
  | { mode: "fingerprint"; light?: boolean }
  | { mode: "collect"; roles: readonly string[]; limit: number; marker: string }
  | { mode: "cover" }
  | { mode: "overlay"; marker: string; rootMarker: string };

/** A candidate as the page sees it: its fingerprint and the stable attributes a locator can use. */
export interface ProbeCandidate {
  key: string;
  fingerprint: ElementFingerprint;
  css: string[];
  /** Index among elements of the scope with the same role and (page-computed) name. */
  roleNth: number;
  roleNameCount: number;
}

export interface ProbeCover {
  /** True when a click at the element's centre would land on something else in a dialog or overlay. */
  blocked: boolean;
  by: string | null;
}

export interface ProbeOverlayInfo {
  role: string | null;
  name: string;
  text: string;
  modal: boolean;
  fixed: boolean;
}

export type ProbeOverlay = { found: false } | { found: true; overlay: ProbeOverlayInfo; buttons: string[] };

/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- page code narrows DOM types by hand */
function probe(root: Element, request: ProbeRequest): unknown {
  const INTERACTIVE_SELECTOR = "__INTERACTIVE__";
  const clean = (text: string | null | undefined, max = 200): string => (text ?? "").replace(/\s+/g, " ").trim().slice(0, max);
  const textOf = (el: Element): string => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll("input, select, textarea, script, style, [aria-hidden='true']").forEach((n) => n.remove());
    return clean(copy.textContent);
  };
  const byIds = (el: Element, attribute: string): string => {
    const ids = (el.getAttribute(attribute) ?? "").split(/\s+/).filter(Boolean);
    return clean(ids.map((id) => { const ref = el.ownerDocument.getElementById(id); return ref ? textOf(ref) : ""; }).join(" "));
  };
  const isVisible = (el: Element): boolean => {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return false;
    return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  };
  const roleOf = (el: Element): string | null => {
    const explicit = (el.getAttribute("role") ?? "").trim().split(/\s+/)[0];
    if (explicit && explicit !== "none" && explicit !== "presentation") return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === "button") return "button";
    if ((tag === "a" || tag === "area") && el.hasAttribute("href")) return "link";
    if (tag === "textarea") return "textbox";
    if (tag === "select") return (el as HTMLSelectElement).multiple || (el as HTMLSelectElement).size > 1 ? "listbox" : "combobox";
    if (tag === "dialog") return "dialog";
    if (tag === "input") {
      const type = ((el as HTMLInputElement).type || "").toLowerCase();
      if (["email", "search", "tel", "text", "url", ""].includes(type)) {
        const list = el.getAttribute("list");
        if (list && el.ownerDocument.getElementById(list)?.tagName === "DATALIST") return "combobox";
        return type === "search" ? "searchbox" : "textbox";
      }
      if (type === "hidden") return null;
      const byType: Record<string, string> = { button: "button", checkbox: "checkbox", image: "button", number: "spinbutton", radio: "radio", range: "slider", reset: "button", submit: "button", file: "button" };
      return byType[type] ?? "textbox";
    }
    return null;
  };
  const labelOf = (el: Element): string | null => {
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return clean(Array.from(labels).map(textOf).join(" ")) || null;
    const labelledBy = byIds(el, "aria-labelledby");
    return labelledBy || null;
  };
  const nameOf = (el: Element): string => {
    const labelledBy = byIds(el, "aria-labelledby");
    if (labelledBy) return labelledBy;
    const aria = clean(el.getAttribute("aria-label"));
    if (aria) return aria;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute("type") ?? "").toLowerCase();
    if (tag === "input" && ["button", "submit", "reset"].includes(type)) return clean((el as HTMLInputElement).value) || (type === "submit" ? "Submit" : type === "reset" ? "Reset" : "");
    if (tag === "input" && type === "image") return clean(el.getAttribute("alt"));
    if (["input", "select", "textarea"].includes(tag)) {
      const label = labelOf(el);
      if (label) return label;
    } else {
      const text = textOf(el);
      if (text) return text;
    }
    return clean(el.getAttribute("title")) || clean(el.getAttribute("placeholder"));
  };
  const landmark = (el: Element): string | null => {
    const tag = el.tagName.toLowerCase();
    const role = el.getAttribute("role");
    const named = clean(byIds(el, "aria-labelledby") || el.getAttribute("aria-label") || el.getAttribute("title"), 80);
    if (tag === "form" || role === "form") return `form:${named}`;
    if (tag === "fieldset") {
      const legend = el.querySelector(":scope > legend");
      return `fieldset:${named || (legend ? textOf(legend).slice(0, 80) : "")}`;
    }
    if (tag === "dialog" || role === "dialog" || role === "alertdialog") return `dialog:${named}`;
    if (tag === "main" || role === "main") return "main";
    if (tag === "nav" || role === "navigation") return `navigation:${named}`;
    if (tag === "aside" || role === "complementary") return `complementary:${named}`;
    if ((tag === "section" || role === "region") && named) return `region:${named}`;
    if (tag === "header" && !el.closest("main, article, section")) return "banner";
    if (tag === "footer" && !el.closest("main, article, section")) return "contentinfo";
    return null;
  };
  const ancestorsOf = (el: Element): string[] => {
    const path: string[] = [];
    for (let node = el.parentElement; node; node = node.parentElement) {
      const mark = landmark(node);
      if (mark !== null) path.unshift(mark);
    }
    return path;
  };
  const container = (el: Element): Element => el.closest("form, dialog, [role=dialog], [role=alertdialog]") ?? el.ownerDocument.body;
  const nearbyOf = (el: Element): string | null => {
    const parts: string[] = [];
    const headings = Array.from(el.ownerDocument.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading], legend"));
    let nearest: Element | null = null;
    for (const heading of headings) {
      if (heading.contains(el)) continue;
      if (heading.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) nearest = heading;
    }
    if (nearest) parts.push(textOf(nearest).slice(0, 80));
    const described = byIds(el, "aria-describedby");
    if (described) parts.push(described.slice(0, 80));
    return parts.length > 0 ? parts.join(" · ") : null;
  };
  const fingerprintOf = (el: Element, light = false): ElementFingerprint => {
    const role = roleOf(el);
    const attrOf = (name: string): string | null => { const value = el.getAttribute(name); return value === null || value.trim() === "" ? null : value.trim(); };
    // Light: what replay's check compares (identity), without the costly place-in-the-form part.
    if (light) {
      return {
        role,
        name: nameOf(el),
        label: labelOf(el),
        tag: el.tagName.toLowerCase(),
        id: attrOf("id"),
        nameAttribute: attrOf("name"),
        testId: attrOf("data-testid") ?? attrOf("data-test-id") ?? attrOf("data-test") ?? attrOf("data-qa"),
        type: attrOf("type"),
        placeholder: attrOf("placeholder"),
        ancestors: [],
        nearbyText: null,
        siblingIndex: 0,
        siblingCount: 0,
      };
    }
    const scope = container(el);
    const peers = Array.from(scope.querySelectorAll(INTERACTIVE_SELECTOR)).filter((peer) => roleOf(peer) === role && isVisible(peer));
    const index = peers.indexOf(el);
    const kindOf = (node: Element): string => `${node.tagName}:${node.tagName === "INPUT" ? ((node as HTMLInputElement).type || "text").toLowerCase() : ""}`;
    const kind = kindOf(el);
    const sameKind = Array.from(scope.querySelectorAll(INTERACTIVE_SELECTOR)).filter((peer) => kindOf(peer) === kind && isVisible(peer)).length;
    const attr = (name: string): string | null => { const value = el.getAttribute(name); return value === null || value.trim() === "" ? null : value.trim(); };
    return {
      role,
      name: nameOf(el),
      label: labelOf(el),
      tag: el.tagName.toLowerCase(),
      id: attr("id"),
      nameAttribute: attr("name"),
      testId: attr("data-testid") ?? attr("data-test-id") ?? attr("data-test") ?? attr("data-qa"),
      type: attr("type"),
      placeholder: attr("placeholder"),
      ancestors: ancestorsOf(el),
      nearbyText: nearbyOf(el),
      siblingIndex: Math.max(index, 0),
      siblingCount: Math.max(peers.length, 1),
      kindCount: Math.max(sameKind, 1),
      ...(el.tagName === "SELECT"
        ? { options: Array.from((el as HTMLSelectElement).options).map((o) => clean(o.textContent)).filter((text) => text !== "" && !/^[-—–\s]*select\b/i.test(text)).slice(0, 40) }
        : {}),
    };
  };
  const isOverlay = (el: Element): boolean => {
    if (el.matches("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]")) return true;
    const style = getComputedStyle(el);
    return style.position === "fixed" || style.position === "sticky";
  };
  const overlayAround = (el: Element): Element | null => {
    let outermost: Element | null = null;
    for (let node: Element | null = el; node; node = node.parentElement) if (isOverlay(node)) outermost = node;
    return outermost;
  };
  const dialogIn = (el: Element): Element => el.matches("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]") ? el : (el.querySelector("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]") ?? el);

  if (request.mode === "fingerprint") return fingerprintOf(root, request.light === true);

  if (request.mode === "collect") {
    const found: ProbeCandidate[] = [];
    const elements = Array.from(root.querySelectorAll(INTERACTIVE_SELECTOR)).filter((el) => { const role = roleOf(el); return role !== null && request.roles.includes(role) && isVisible(el); });
    const seen = new Map<string, number>();
    const counts = new Map<string, number>();
    const withKeys = elements.map((el) => { const key = `${roleOf(el)}\u0000${nameOf(el)}`; counts.set(key, (counts.get(key) ?? 0) + 1); return { el, key }; });
    for (const { el, key } of withKeys) {
      const nth = seen.get(key) ?? 0;
      seen.set(key, nth + 1);
      if (found.length >= request.limit) continue;
      const candidateKey = String(found.length);
      el.setAttribute(request.marker, candidateKey);
      const tag = el.tagName.toLowerCase();
      const css: string[] = [];
      const unique = (selector: string): boolean => { try { return root.querySelectorAll(selector).length === 1; } catch { return false; } };
      const push = (selector: string) => { if (unique(selector)) css.push(selector); };
      if (el.id) push(`#${CSS.escape(el.id)}`);
      for (const attribute of ["data-testid", "data-test-id", "data-test", "data-qa"]) { const value = el.getAttribute(attribute); if (value) push(`[${attribute}=${JSON.stringify(value)}]`); }
      const name = el.getAttribute("name");
      if (name) push(`${tag}[name=${JSON.stringify(name)}]`);
      found.push({ key: candidateKey, fingerprint: fingerprintOf(el), css, roleNth: nth, roleNameCount: counts.get(key) ?? 1 });
    }
    return found;
  }

  if (request.mode === "cover") {
    const rect = root.getBoundingClientRect();
    const view = root.ownerDocument.defaultView!;
    if (rect.bottom < 0 || rect.top > view.innerHeight || rect.right < 0 || rect.left > view.innerWidth) root.scrollIntoView({ block: "center", inline: "center" });
    const box = root.getBoundingClientRect();
    const hit = root.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || hit === root || root.contains(hit) || hit.contains(root)) return { blocked: false, by: null } satisfies ProbeCover;
    const label = hit.closest("label");
    if (label && (label as HTMLLabelElement).control === root) return { blocked: false, by: null } satisfies ProbeCover;
    const overlay = overlayAround(hit);
    if (overlay && overlay.contains(root)) return { blocked: false, by: null } satisfies ProbeCover;
    const cover = overlay ? dialogIn(overlay) : hit;
    const described = `${roleOf(cover) ?? cover.tagName.toLowerCase()} "${clean(nameOf(cover) || textOf(cover), 80)}"`;
    return { blocked: true, by: described } satisfies ProbeCover;
  }

  // request.mode === "overlay": the topmost dialog or fixed overlay that blocks clicks.
  const doc = root.ownerDocument;
  const view = doc.defaultView!;
  const blocking: Element[] = [];
  const points = [[0.5, 0.5], [0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]] as const;
  for (const [fx, fy] of points) {
    const hit = doc.elementFromPoint(view.innerWidth * fx, view.innerHeight * fy);
    if (!hit) continue;
    const overlay = overlayAround(hit);
    if (!overlay) continue;
    const rect = overlay.getBoundingClientRect();
    const coversViewport = rect.width >= view.innerWidth * 0.9 && rect.height >= view.innerHeight * 0.9;
    const isDialog = overlay.matches("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]") || overlay.querySelector("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]") !== null;
    if ((coversViewport || isDialog) && !blocking.includes(overlay)) blocking.push(overlay);
  }
  for (const modal of Array.from(doc.querySelectorAll("[aria-modal=true], dialog"))) {
    const isModal = modal.getAttribute("aria-modal") === "true" || (modal.tagName === "DIALOG" && modal.matches(":modal"));
    if (isModal && isVisible(modal) && !blocking.some((b) => b.contains(modal) || modal.contains(b))) blocking.push(modal);
  }
  const top = blocking[0];
  if (!top) return { found: false } satisfies ProbeOverlay;
  top.setAttribute(request.rootMarker, "");
  const dialog = dialogIn(top);
  const buttons = Array.from(top.querySelectorAll("button, [role=button], input[type=button], input[type=submit], a[href]")).filter(isVisible);
  buttons.forEach((button, index) => button.setAttribute(request.marker, String(index)));
  const style = getComputedStyle(top);
  return {
    found: true,
    overlay: { role: roleOf(dialog), name: clean(nameOf(dialog), 120), text: clean((dialog as HTMLElement).innerText || textOf(dialog), 300), modal: dialog.getAttribute("aria-modal") === "true" || dialog.matches(":modal"), fixed: style.position === "fixed" },
    buttons: buttons.map(nameOf),
  } satisfies ProbeOverlay;
}
/* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */

const PROBE_PRELUDE = `const __name = (f) => f; const probe = (${probe.toString().replace('"__INTERACTIVE__"', JSON.stringify(INTERACTIVE))});`;

/**
 * The probe as a function Playwright can send to the page: rebuilt from its source with the
 * interactive selector inlined and a no-op `__name` in scope for name-keeping transpilers.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- built once from our own source
export const pageProbe = new Function("root", "request", `${PROBE_PRELUDE} return probe(root, request);`) as (root: Element, request: ProbeRequest) => unknown;

/** The check before an action: how many elements, and for exactly one its fingerprint and what a click would reach. */
export interface ProbeVerify {
  count: number;
  fingerprint?: ElementFingerprint;
  cover?: ProbeCover;
}

// Over `evaluateAll` (one round trip, no waiting for an element handle): about half the cost of `evaluate`.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- built once from our own source
const probeEach = new Function(
  "elements",
  "request",
  `${PROBE_PRELUDE}
  if (elements.length !== 1) return { count: elements.length };
  if (request.mode === "verify") return { count: 1, fingerprint: probe(elements[0], { mode: "fingerprint", light: true }), cover: probe(elements[0], { mode: "cover" }) };
  return { count: 1, value: probe(elements[0], request) };`,
) as (elements: Element[], request: ProbeRequest | { mode: "verify" }) => unknown;

/** Runs the probe on the one element `locator` resolves to now (no waiting); throws when it is not exactly one. */
export async function runProbe<T>(locator: Locator, request: ProbeRequest): Promise<T> {
  const result = (await locator.evaluateAll(probeEach, request)) as { count: number; value?: T };
  if (result.count !== 1) throw new Error(`The healing probe needs exactly one element, and the locator finds ${result.count}.`);
  return result.value as T;
}

/** Count, fingerprint and cover check in one round trip. */
export async function runVerifyProbe(locator: Locator): Promise<ProbeVerify> {
  return (await locator.evaluateAll(probeEach, { mode: "verify" } as const)) as ProbeVerify;
}

/** A probe cut off by a navigation (the page's context destroyed under it): the page is not there yet. */
export function isNavigationRace(error: unknown): boolean {
  return error instanceof Error && /Execution context was destroyed|Cannot find context|frame was detached/i.test(error.message);
}
