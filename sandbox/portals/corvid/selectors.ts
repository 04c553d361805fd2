// Corvid Instruments: search, unit page, report form and confirm dialog, per DOM drift version.
// Drift 2 is Corvid's single-page-app look: `incident-` ids, dotted `incident.*` names.

import { control, field } from "../fields.js";

export const CORVID_SEARCH = {
  query: field("query", ["unit-search", "q", "Instrument ID"], ["asset-lookup", "asset", "Asset number"], ["instrument-finder", "instrument", "Instrument ID"]),
};

export const CORVID_FIELDS = {
  caseReference: field("caseReference", ["case-reference", "caseReference", "Case reference"], ["external-reference", "externalReference", "External reference"], ["incident-case-ref", "incident.caseRef", "Case reference"]),
  reportType: field("reportType", ["report-type", "reportType", "Report type"], ["report-class", "reportClass", "Report class"], ["incident-report-kind", "incident.reportKind", "Type of report"]),
  eventDate: field("eventDate", ["event-date", "eventDate", "Event date"], ["date-of-event", "dateOfEvent", "Date of event"], ["incident-occurred-on", "incident.occurredOn", "Event date"]),
  category: field("category", ["hazard-category", "hazardCategory", "Category"], ["issue-type", "issueType", "Issue type"], ["incident-issue-category", "incident.issueCategory", "Hazard category"]),
  cycleCount: field("cycleCount", ["cycle-count", "cycleCount", "Cycle count"], ["usage-cycles", "usageCycles", "Usage (cycles)"], ["incident-cycles", "incident.cycles", "Cycle count"]),
  summary: field("summary", ["summary", "summary", "Summary"], ["event-summary", "eventSummary", "Event summary"], ["incident-summary-text", "incident.summaryText", "Summary"]),
  reporterEmail: field("reporterEmail", ["reporter-email", "reporterEmail", "Reporter email"], ["contact-email", "contactEmail", "Contact email"], ["incident-reporter-email", "incident.reporterEmail", "Reporter email address"]),
};

/** Posted by the dialog's confirm button (value `yes`). */
export const CORVID_CONFIRMED = field("confirmed", ["", "confirmed", ""], ["", "confirmed", ""], ["", "incident.confirmed", ""]);

export const CORVID_CONTROLS = {
  searchForm: control(["unit-search-form", ""], ["unit-search-form", ""], ["instrument-finder-form", ""]),
  searchSubmit: control(["unit-search-submit", "Search"], ["asset-lookup-submit", "Look up"], ["instrument-finder-submit", "Search registry"]),
  results: control(["unit-results", ""], ["asset-results", ""], ["instrument-matches", ""]),
  row: control(["unit-row", ""], ["asset-row", ""], ["instrument-match", ""]),
  open: control(["open-unit", "Open"], ["view-asset", "View"], ["instrument-open", "Go to instrument"]),
  noResults: control(["no-results", ""], ["asset-none", ""], ["instrument-no-match", ""]),
  unitId: control(["unit-id", ""], ["asset-id", ""], ["instrument-id-value", ""]),
  reportCount: control(["unit-report-count", ""], ["unit-report-count", ""], ["instrument-report-total", ""]),
  form: control(["report-form", ""], ["incident-form", ""], ["incident-report", ""]),
  review: control(["review-report", "Review & submit"], ["prepare-report", "Prepare report"], ["incident-check", "Check and send report"]),
  dialog: control(["confirm-dialog", ""], ["submit-dialog", ""], ["incident-send-dialog", ""]),
  confirm: control(["confirm-submit", "Confirm & submit"], ["dialog-confirm", "Yes, submit"], ["incident-send", "Send report"]),
  cancel: control(["confirm-cancel", "Cancel"], ["dialog-cancel", "Go back"], ["incident-keep-editing", "Keep editing"]),
  banner: control(["confirmation-banner", ""], ["report-filed-banner", ""], ["incident-received", ""]),
  confirmation: control(["confirmation-number", ""], ["report-number", ""], ["incident-confirmation-code", ""]),
  navSearch: control(["nav-find-instrument", "Find instrument"], ["nav-asset-lookup", "Asset lookup"], ["nav-instruments", "Instruments"]),
};
