import type { CrmCase, CrmNote, CrmStatusUpdate } from "./types";

/**
 * The CRM as Nightshift sees it. One implementation per CRM product, chosen by configuration
 * (see `createCrmConnector`). Every write takes an idempotency key: a retried write with the same
 * key must not produce a second effect in the CRM.
 */
export interface CrmConnector {
  /** The authoritative case, or null when the CRM does not know the id. */
  fetchCase(crmId: string): Promise<CrmCase | null>;
  /**
   * Cases created or changed since `since` (inclusive, oldest change first), at most `limit`;
   * pass `nextCursor` back as `cursor` for the next page (null when there is none).
   */
  listChangedCases(params: { since: Date | null; limit: number; cursor?: string | null }): Promise<{ cases: CrmCase[]; nextCursor: string | null }>;
  /** The case's supporting document (PDF) for portals that require an upload. */
  fetchAttachment(crmId: string): Promise<{ fileName: string; contentType: string; body: Buffer }>;
  /** Writes a case's status (and confirmation number) back. */
  updateStatus(crmId: string, update: CrmStatusUpdate, idempotencyKey: string): Promise<void>;
  /** Adds a note to a case (e.g. a failure object for a person to read). */
  addNote(crmId: string, note: CrmNote, idempotencyKey: string): Promise<void>;
}

/** A CRM call that failed; `retryable` says whether trying again later can help. */
export class CrmError extends Error {
  override name = "CrmError";
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    /** From a Retry-After header, when the CRM sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}
