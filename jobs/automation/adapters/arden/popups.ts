import type { PortalPopups } from "../../portal-kit";

// Arden Motors's pop-ups (sandbox/README.md "Pop-ups"); their markup does not change under DOM drift.
export const ARDEN_POPUPS: PortalPopups = {
  known: [
    // "Continue session" posts and reloads the same URL: what was typed is lost.
    { kind: "session_expiry", name: "session-expiry interstitial", root: '[data-testid="session-expiry"]', dismiss: '[data-testid="session-continue"]', reloads: true },
    { kind: "cookie_wall", name: "cookie wall", root: '[data-testid="cookie-wall"]', dismiss: '[data-testid="cookie-reject"]' },
    // Rendered hidden and shown 400 ms after load (it can pop up while a form is filled).
    { kind: "survey", name: "survey", root: '[data-testid="survey-modal"]', dismiss: '[data-testid="survey-dismiss"]', delayed: true },
  ],
  anyOverlay: ".ns-overlay:visible",
};
