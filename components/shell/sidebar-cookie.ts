/** Cookie that remembers the collapsed sidebar; the dashboard layout reads it for the first paint. */
export const SIDEBAR_COOKIE = "nightshift_sidebar";
