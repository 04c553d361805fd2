import type { DigestOwner, ErrorClass, TerminalFailStatus } from "../domain/vocabulary";
import type { StoredFailure } from "../domain/types";

/**
 * The morning digest of a batch, built once (at the deadline or when the batch finishes) and
 * stored on it. Failures keep artifact keys; links are made when it is read.
 */
export interface MorningDigest {
  builtAt: string;
  /** "deadline" when the deadline came first, "finished" when the last run ended first. */
  reason: "deadline" | "finished" | "cancelled";
  deadline: string | null;
  eligible: number;
  submitted: number;
  rehearsed: number;
  /** Still open when the digest was built (only when the deadline came first). */
  unfinished: number;
  cancelled: number;
  terminalFails: number;
  /** Every eligible case submitted or explained (a terminal fail with its failure object) before the deadline. */
  metSla: boolean;
  /** One sentence for executives, e.g. "All 412 cases filed by 5:48 AM, 1 h 12 min before the deadline." */
  headline: string;
  groups: DigestGroup[];
}

/** Terminal fails of one OEM with one fingerprint. */
export interface DigestGroup {
  oemId: string;
  fingerprint: string;
  errorClass: ErrorClass | null;
  errorCode: string | null;
  owner: DigestOwner;
  count: number;
  runs: Array<{ runId: string; caseId: string; reference: string; status: TerminalFailStatus; failure: StoredFailure | null }>;
}
