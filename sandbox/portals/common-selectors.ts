// Selectors shared by all three portals (login page, filings search, sign-out), per drift version.

import { control, field } from "./fields.js";

export const LOGIN_FIELDS = {
  username: field("username", ["username", "username", "Username"], ["user-id", "user_id", "User ID"]),
  password: field("password", ["password", "password", "Password"], ["passcode", "passcode", "Passcode"]),
};

export const LOGIN_CONTROLS = {
  form: control(["login-form", ""], ["signin-form", ""]),
  submit: control(["login-submit", "Sign in"], ["signin-button", "Log in"]),
  error: control(["login-error", ""], ["signin-error", ""]),
};

export const FILINGS_FIELDS = {
  reference: field("reference", ["filings-reference", "reference", "Case reference"], ["history-reference", "ref", "Reference number"]),
};

export const FILINGS_CONTROLS = {
  search: control(["filings-search", "Search"], ["history-search", "Find"]),
  table: control(["filings-table", ""], ["history-table", ""]),
  row: control(["filing-row", ""], ["history-row", ""]),
  reference: control(["filing-reference", ""], ["history-reference-cell", ""]),
  confirmation: control(["filing-confirmation", ""], ["history-confirmation", ""]),
  date: control(["filing-date", ""], ["history-date", ""]),
  unit: control(["filing-unit", ""], ["history-unit", ""]),
  empty: control(["filings-empty", ""], ["history-empty", ""]),
};

export const NAV_CONTROLS = {
  logout: control(["logout", "Sign out"], ["signout", "Log out"]),
  filings: control(["nav-filings", ""], ["nav-history", ""]),
};
