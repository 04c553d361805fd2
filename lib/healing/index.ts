// The deterministic core of replay and healing (issue 12): pure logic, no Playwright. The browser
// side lives in jobs/automation/healing/.
export * from "./types";
export * from "./normalise";
export * from "./action-words";
export * from "./fingerprint-match";
export * from "./score-candidates";
export * from "./records";
