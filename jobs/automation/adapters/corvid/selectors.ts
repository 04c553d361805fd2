import { actionTarget, textTarget, type PortalFilings, type PortalSignIn } from "../../portal-kit";
import { filingsSearch, signInTargets } from "../common-pages";

// Corvid Instruments's pages as the adapter was written against them (sandbox/README.md, "Corvid
// Instruments"). No fallback selectors: replay and healing find a changed element again.
export const CORVID = {
  noResults: textTarget("corvid.units.no_results", "instrument search: no results", '[data-testid="no-results"]'),
  caseReference: actionTarget("field", "corvid.report.case_reference", "case reference", "#case-reference"),
  reportType: actionTarget("select", "corvid.report.report_type", "report type", "#report-type"),
  eventDate: actionTarget("field", "corvid.report.event_date", "event date", "#event-date"),
  category: actionTarget("select", "corvid.report.category", "report category", "#hazard-category"),
  cycleCount: actionTarget("field", "corvid.report.cycle_count", "cycle count", "#cycle-count"),
  summary: actionTarget("field", "corvid.report.summary", "summary", "#summary", { intent: "the free-text summary of the event (a textarea)" }),
  reporterEmail: actionTarget("field", "corvid.report.reporter_email", "reporter email", "#reporter-email"),
  review: actionTarget("button", "corvid.report.review", "review & submit button", "#review-report", { intent: "the button that opens the review-and-confirm dialog (nothing is sent yet)" }),
  confirmDialog: textTarget("corvid.report.confirm_dialog", "confirmation dialog", "#confirm-dialog"),
  confirm: actionTarget("button", "corvid.report.confirm", "confirm & submit button", "#confirm-submit", { intent: "the button in the confirm dialog that submits the report (final, cannot be undone)", reversible: false }),
  confirmationNumber: textTarget("corvid.confirmation.number", "confirmation number", "#confirmation-number"),
};

/** Result rows carry the instrument id in `data-unit-id` under every DOM version. */
export const UNIT_ROW = "tr[data-unit-id]";
export const UNIT_NOT_FOUND = '[data-testid="unit-not-found"]';

/** `CVD-`, 4 letters, `-`, 4 digits. */
export const CORVID_CONFIRMATION = /^CVD-[A-Z]{4}-\d{4}$/;

export const CORVID_SIGN_IN: PortalSignIn = signInTargets("corvid");
export const CORVID_FILINGS: PortalFilings = filingsSearch("corvid");
