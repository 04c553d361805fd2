// Corvid Instruments: search, unit page, report form and confirm dialog, per DOM drift version.

import { control, field } from "../fields.js";

export const CORVID_SEARCH = {
  query: field("query", ["unit-search", "q", "Instrument ID"], ["asset-lookup", "asset", "Asset number"]),
};

export const CORVID_FIELDS = {
  caseReference: field("caseReference", ["case-reference", "caseReference", "Case reference"], ["external-reference", "externalReference", "External reference"]),
  reportType: field("reportType", ["report-type", "reportType", "Report type"], ["report-class", "reportClass", "Report class"]),
  eventDate: field("eventDate", ["event-date", "eventDate", "Event date"], ["date-of-event", "dateOfEvent", "Date of event"]),
  category: field("category", ["hazard-category", "hazardCategory", "Category"], ["issue-type", "issueType", "Issue type"]),
  cycleCount: field("cycleCount", ["cycle-count", "cycleCount", "Cycle count"], ["usage-cycles", "usageCycles", "Usage (cycles)"]),
  summary: field("summary", ["summary", "summary", "Summary"], ["event-summary", "eventSummary", "Event summary"]),
  reporterEmail: field("reporterEmail", ["reporter-email", "reporterEmail", "Reporter email"], ["contact-email", "contactEmail", "Contact email"]),
};

export const CORVID_CONTROLS = {
  searchSubmit: control(["unit-search-submit", "Search"], ["asset-lookup-submit", "Look up"]),
  results: control(["unit-results", ""], ["asset-results", ""]),
  row: control(["unit-row", ""], ["asset-row", ""]),
  open: control(["open-unit", "Open"], ["view-asset", "View"]),
  noResults: control(["no-results", ""], ["asset-none", ""]),
  unitId: control(["unit-id", ""], ["asset-id", ""]),
  form: control(["report-form", ""], ["incident-form", ""]),
  review: control(["review-report", "Review & submit"], ["prepare-report", "Prepare report"]),
  dialog: control(["confirm-dialog", ""], ["submit-dialog", ""]),
  confirm: control(["confirm-submit", "Confirm & submit"], ["dialog-confirm", "Yes, submit"]),
  cancel: control(["confirm-cancel", "Cancel"], ["dialog-cancel", "Go back"]),
  banner: control(["confirmation-banner", ""], ["report-filed-banner", ""]),
  confirmation: control(["confirmation-number", ""], ["report-number", ""]),
  navSearch: control(["nav-find-instrument", "Find instrument"], ["nav-asset-lookup", "Asset lookup"]),
};
