// The pages every portal of the common contract shares (sandbox/README.md, "Portals: common
// contract"): the sign-in form and the filings search. Each adapter names them with its own ids.

import { actionTarget, textTarget, type PortalFilings, type PortalSignIn } from "../portal-kit";

/**
 * Sign-in (sandbox/README.md, "Login page"): the same form on each of the sandbox's portals. Its
 * elements carry no case data: a heal of them is proven by being signed in and never holds a filing.
 */
export function signInTargets(oem: string): PortalSignIn {
  return {
    path: "/login",
    signOutPath: "/logout",
    username: actionTarget("field", `${oem}.sign_in.username`, "login username", "#username", { intent: "the username field of the sign-in form", carriesCaseData: false }),
    password: actionTarget("field", `${oem}.sign_in.password`, "login password", "#password", { intent: "the password field of the sign-in form", carriesCaseData: false }),
    submit: actionTarget("button", `${oem}.sign_in.submit`, "login button", "#login-submit", { intent: "the button that signs in", carriesCaseData: false }),
    error: textTarget(`${oem}.sign_in.error`, "login error", "#login-error"),
    signedIn: '[data-testid="signed-in-user"]',
  };
}

/** The filings search: a GET form whose URL and `reference` parameter, and whose rows' attributes, are the portal's API. */
export function filingsSearch(oem: string): PortalFilings {
  return {
    searchPath: (reference) => `/filings?reference=${encodeURIComponent(reference)}`,
    row: "tr[data-confirmation-number]",
    referenceAttribute: "data-reference",
    confirmationAttribute: "data-confirmation-number",
    empty: textTarget(`${oem}.filings.empty`, "filings empty message", '[data-testid="filings-empty"]'),
  };
}
