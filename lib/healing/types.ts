// Replay and healing vocabulary (issue 12), pure data shared by the worker and, later, the review UI.
//
// Glossary:
// - Target: an element an adapter needs, with a stable id ("arden.claim.vin") and an intent.
// - Fingerprint: what an element looked like the last time a step succeeded with it (role,
//   accessible name, label, attributes, place in the form); replay checks it before acting.
// - Miss: why a target could not be used as is; each kind has its own route.
// - Heal: a new way to find a target, proposed by a rule (scoring) or a model; a person approves it.

/** What kind of control a target is; it decides which roles the healer looks among. */
export const TARGET_KINDS = ["field", "select", "checkbox", "radio", "button", "link"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** The ARIA roles a target of each kind may have on the page. */
export const ROLES_BY_KIND: Record<TargetKind, readonly string[]> = {
  field: ["textbox", "searchbox", "spinbutton"],
  select: ["combobox", "listbox"],
  checkbox: ["checkbox", "switch"],
  radio: ["radio"],
  button: ["button"],
  link: ["link"],
};

/** An element an adapter needs. */
export interface Target {
  /** Stable across portal redesigns and adapter versions: `<oem>.<page>.<element>`, e.g. "arden.claim.vin". */
  id: string;
  /** In words, for people and for the model tier: "the VIN field of the warranty claim form". */
  intent: string;
  kind: TargetKind;
  /** The expected ARIA role when it is more precise than the kind (e.g. "combobox"). */
  role?: string;
  /** False for the step that cannot be undone (the final submit): it never proceeds on an unapproved heal. */
  reversible: boolean;
  /**
   * False for an element that carries none of the case's data into the filing (the sign-in form:
   * its postcondition, being signed in, proves a heal of it). A heal of such an element is filed for
   * review but does not hold the final submit. Default true.
   */
  carriesCaseData?: boolean;
}

/** What an element looked like. Nothing here is a Playwright ref: those are not stable between snapshots. */
export interface ElementFingerprint {
  /** ARIA role, explicit or implicit ("textbox", "button", …); null when the element has none. */
  role: string | null;
  /** Accessible name as Playwright computes it (aria-labelledby, aria-label, label, text, title, placeholder). */
  name: string;
  /** Text of the associated <label> elements (or aria-labelledby), null when there is none. */
  label: string | null;
  /** Lower-case tag name. */
  tag: string;
  id: string | null;
  /** The `name` attribute: the key the form posts, so often the most stable thing about a field. */
  nameAttribute: string | null;
  /** data-testid / data-test / data-qa. */
  testId: string | null;
  /** The `type` attribute (input, button). */
  type: string | null;
  placeholder: string | null;
  /** Outer → inner landmarks, forms, fieldsets and dialogs, each "kind:name" ("form:warranty claim"). */
  ancestors: string[];
  /** The nearest preceding heading or legend and any aria-describedby text. */
  nearbyText: string | null;
  /** Index among visible elements of the same role in its form (or the document when outside a form). */
  siblingIndex: number;
  siblingCount: number;
  /** Visible controls of the same kind (tag and input type) in its form: 1 for the form's only textarea. Absent in fingerprints recorded before it was. */
  kindCount?: number;
  /** A select's option texts (at most 40, the empty "— Select —" one dropped); absent for other elements and in fingerprints recorded before options were. */
  options?: string[];
}

/** Why a target could not be used as is. */
export const MISS_KINDS = ["not_found", "ambiguous", "fingerprint_mismatch", "blocked_by_overlay", "postcondition_failed"] as const;
export type MissKind = (typeof MISS_KINDS)[number];

/** A sentence per miss kind, for logs, failure cards and the review queue. */
export const MISS_KIND_LABELS: Record<MissKind, string> = {
  not_found: "No visible element matches the target.",
  ambiguous: "More than one element could be the target, and none wins clearly.",
  fingerprint_mismatch: "The locator finds a different control than the one recorded.",
  blocked_by_overlay: "The target is covered by a dialog or overlay that would receive the click.",
  postcondition_failed: "The action ran, but the page did not change the way the step expects.",
};

/**
 * How Nightshift finds an element again, as data (so a heal can be stored, reviewed and approved):
 * never a model-written selector, always built from a fingerprint and checked to resolve to
 * exactly the element it was built for. Relative to the scope it was collected in.
 */
export type LocatorRecipe =
  /** `getByRole(role, { name, exact: true })`, then `.nth(nth)` when several share role and name. */
  | { strategy: "role"; role: string; name: string; nth: number | null }
  /** A CSS selector on a stable attribute (id, test id, name attribute). */
  | { strategy: "css"; selector: string };

/** One line for logs and the review queue: `role button "Send claim"`, `css #vin`. */
export function describeRecipe(recipe: LocatorRecipe): string {
  if (recipe.strategy === "css") return `css ${recipe.selector}`;
  return `role ${recipe.role} ${JSON.stringify(recipe.name)}${recipe.nth === null ? "" : ` #${recipe.nth + 1}`}`;
}
