import type { PortalMarkup } from "../../portal-kit";
import { BOREALIS_FILINGS, BOREALIS_SIGN_IN } from "./selectors";

/**
 * Borealis Machinery's pages as the shared portal kit needs them (sandbox/README.md, "Portals: common
 * contract"): error pages, refusals, sign-in, the filings search and pop-ups.
 */
export const BOREALIS_PORTAL: PortalMarkup = {
  // Error pages are stable under DOM drift.
  errorPages: { maintenance: '[data-testid="maintenance"]', gatewayError: '[data-testid="gateway-error"]' },
  // Field-error keys, `form-errors` and `portal-message` do not change under drift.
  refusals: {
    portalMessage: '[data-testid="portal-message"]',
    fieldErrors: { selector: '[data-testid^="field-error-"]', keyAttribute: "data-testid", keyPrefix: "field-error-" },
    formErrors: '[data-testid="form-errors"]',
    formErrorItems: "li",
  },
  signIn: BOREALIS_SIGN_IN,
  filings: BOREALIS_FILINGS,
};
