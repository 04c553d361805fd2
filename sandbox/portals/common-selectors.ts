// Selectors shared by all three portals (login page, filings search, sign-out), per drift version:
// [id, name, label] for fields and [id, text] for controls, as v0, drift 1, drift 2.

import { control, field } from "./fields.js";

export const LOGIN_FIELDS = {
  username: field("username", ["username", "username", "Username"], ["user-id", "user_id", "User ID"], ["account-username", "account[login]", "Username"]),
  password: field("password", ["password", "password", "Password"], ["passcode", "passcode", "Passcode"], ["account-password", "account[password]", "Password"]),
};

/** The sign-in form's hidden field: where to go after signing in. */
export const LOGIN_RETURN_TO = field("returnTo", ["", "returnTo", ""], ["", "returnTo", ""], ["", "account[redirect_to]", ""]);

export const LOGIN_CONTROLS = {
  form: control(["login-form", ""], ["signin-form", ""], ["account-sign-in", ""]),
  // Drift 2's sign-in button text is the portal's own (PortalSpec.signInText).
  submit: control(["login-submit", "Sign in"], ["signin-button", "Log in"], ["account-sign-in-submit", "Sign in securely"]),
  error: control(["login-error", ""], ["signin-error", ""], ["account-sign-in-problem", ""]),
  info: control(["login-info", ""], ["login-info", ""], ["account-sign-in-notice", ""]),
};

export const FILINGS_FIELDS = {
  reference: field("reference", ["filings-reference", "reference", "Case reference"], ["history-reference", "ref", "Reference number"], ["records-case-ref", "case_ref", "Case reference"]),
};

export const FILINGS_CONTROLS = {
  form: control(["filings-search-form", ""], ["filings-search-form", ""], ["records-lookup", ""]),
  search: control(["filings-search", "Search"], ["history-search", "Find"], ["records-lookup-submit", "Search records"]),
  table: control(["filings-table", ""], ["history-table", ""], ["records-list", ""]),
  row: control(["filing-row", ""], ["history-row", ""], ["record-entry", ""]),
  reference: control(["filing-reference", ""], ["history-reference-cell", ""], ["record-case-ref", ""]),
  confirmation: control(["filing-confirmation", ""], ["history-confirmation", ""], ["record-confirmation-code", ""]),
  date: control(["filing-date", ""], ["history-date", ""], ["record-filed-on", ""]),
  unit: control(["filing-unit", ""], ["history-unit", ""], ["record-unit-id", ""]),
  empty: control(["filings-empty", ""], ["history-empty", ""], ["records-none", ""]),
};

export const NAV_CONTROLS = {
  logout: control(["logout", "Sign out"], ["signout", "Log out"], ["header-sign-out", "Sign out of portal"]),
  filings: control(["nav-filings", ""], ["nav-history", ""], ["nav-records", ""]),
};
