import type { Locator, Page } from "playwright-core";
import type { PortalCredentials } from "@/lib/config/integrations";
import type { Logger } from "@/lib/log";
import type { CaseForSubmission } from "@/lib/domain/types";
import type { OemId } from "@/lib/oems/catalog";
import type { HealingSession } from "./healing/session";

/**
 * What an adapter gets for one attempt. The runner owns the browser context, the artifacts and
 * the recording; the adapter only drives the portal.
 */
export interface AdapterContext {
  page: Page;
  case: CaseForSubmission;
  /** The portal's base URL, e.g. http://127.0.0.1:4010/portals/arden */
  portalUrl: string;
  credentials: PortalCredentials;
  /**
   * Runs a named step (login, open_form, fill, upload, submit, capture_confirmation …). The runner
   * times it, records it, and knows the last step when something fails.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Fills a secret without it reaching the trace (tracing is paused around the fill). */
  fillSecret(locator: Locator, secret: string): Promise<void>;
  /** Call immediately before the final submit click (the double-filing guard). */
  markSubmitClicked(): Promise<void>;
  /** The case's supporting document from the CRM (PDF), for portals with an upload step. */
  loadAttachment(): Promise<{ fileName: string; contentType: string; body: Buffer }>;
  /** A predecessor attempt clicked submit and died: look harder for an existing filing. */
  submitClickedBefore: boolean;
  log: Logger;
  /**
   * The attempt's replay and healing (jobs/automation/healing/session.ts): every target the kit
   * locates goes through it. Absent only where the kit is used without a run (its own tests).
   */
  healing?: HealingSession;
}

export interface AdapterResult {
  confirmationNumber: string;
  /** True when the portal already had a filing for this case reference (nothing filed now). */
  alreadyFiled: boolean;
}

/**
 * One OEM portal. `submit` logs in, searches the portal's own filings for the case reference and
 * records that confirmation if one exists; only otherwise does it fill and submit the form. It
 * throws the typed errors of `lib/runs/errors` for what it recognises (rejected data, refused
 * login, missing elements); anything else is classified by the runner.
 */
export interface PortalAdapter<Id extends OemId = OemId> {
  oemId: Id;
  /**
   * Bumped when the adapter's targets or flow change: reviewed resolutions (the replay cache) are
   * kept per adapter version, so a new version starts from its own primary selectors.
   */
  version: string;
  submit(ctx: AdapterContext): Promise<AdapterResult>;
}
