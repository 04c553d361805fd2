import { ERROR_CLASSES, type DigestOwner, type ErrorClass } from "../domain/vocabulary";

/**
 * Triage lanes: who fixes the cause of a group of terminal fails. The morning digest's owners
 * (`ownerFor` in lib/batches/digest.ts) answer a different question — who acts on the case the
 * next morning — so there a flake or an infra failure that outlasted its retries is ops' to retry.
 * Triage sends site flakes and pop-ups to engineering (the adapter should cope), and gives
 * infrastructure a lane of its own. The digest's owner words are reused; `infrastructure` is added.
 */
export const TRIAGE_LANES = ["engineering", "ops", "admin", "infrastructure"] as const satisfies readonly (DigestOwner | "infrastructure")[];
export type TriageLane = (typeof TRIAGE_LANES)[number];

const LANE_BY_CLASS: Record<ErrorClass, TriageLane> = {
  site_flake: "engineering",
  site_popup: "engineering",
  site_changed: "engineering",
  adapter_bug: "engineering",
  portal_rejected: "ops",
  auth: "admin",
  infra: "infrastructure",
};

/** The lane of a class; a terminal fail without a class is our own gap, so engineering's. */
export function laneFor(errorClass: ErrorClass | null): TriageLane {
  return errorClass === null ? "engineering" : LANE_BY_CLASS[errorClass];
}

/** The classes that land in a lane, in taxonomy order. */
export function classesInLane(lane: TriageLane): ErrorClass[] {
  return ERROR_CLASSES.filter((c) => LANE_BY_CLASS[c] === lane);
}

/** A lane's place in the page's order (engineering first), for sorting and keyset cursors. */
export function laneRank(lane: TriageLane): number {
  return TRIAGE_LANES.indexOf(lane);
}
