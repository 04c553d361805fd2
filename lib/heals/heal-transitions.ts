import { AppError } from "../errors/app-error";
import type { HealStatus } from "../healing/records";

/** What a person may do with a heal in each status: decide a proposal, revert an approved one. */
export const HEAL_TRANSITIONS: Record<HealStatus, readonly HealStatus[]> = {
  proposed: ["approved", "rejected"],
  approved: ["reverted"],
  rejected: [],
  reverted: [],
};

/** A refused review action: an AppError, so the route wrapper maps it (404/409/400). */
export class HealDecisionError extends AppError<"not_found" | "conflict" | "bad_request"> {
  override name = "HealDecisionError";
}

const VERBS: Record<HealStatus, string> = { proposed: "proposed", approved: "approved", rejected: "rejected", reverted: "reverted" };

/** Throws a 409 with a sentence unless `from → to` is allowed; `decidedBy` names who decided it already. */
export function assertHealTransition(from: HealStatus, to: HealStatus, decidedBy?: string | null): void {
  if (HEAL_TRANSITIONS[from].includes(to)) return;
  const by = decidedBy ? ` by ${decidedBy}` : "";
  if (from === to) throw new HealDecisionError("conflict", `This heal was already ${VERBS[from]}${by}: nothing was changed.`);
  if (from === "proposed") throw new HealDecisionError("conflict", `This heal is still a proposal: only an approved heal can be ${VERBS[to]}.`);
  const allowedFrom = (Object.keys(HEAL_TRANSITIONS) as HealStatus[]).filter((s) => HEAL_TRANSITIONS[s].includes(to));
  const only = allowedFrom.map((s) => (s === "proposed" ? "a proposal" : `an ${VERBS[s]} heal`)).join(" or ");
  throw new HealDecisionError("conflict", `This heal was ${VERBS[from]}${by}, so it can no longer be ${VERBS[to]}${only ? `: only ${only} can be` : ""}.`);
}
