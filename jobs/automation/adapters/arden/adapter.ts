import type { AdapterContext, AdapterResult, PortalAdapter } from "../../adapter";
import {
  clearForSubmit,
  clickAndWaitForPage,
  dismissPopups,
  fillPage,
  fillText,
  gotoPortal,
  locate,
  readConfirmation,
  selectValue,
  setCheckbox,
  fileOnce,
} from "../../portal-kit";
import { ARDEN_PORTAL } from "./pages";
import { mapArdenClaim, type ArdenClaim } from "./mapping";
import { ARDEN, ARDEN_CONFIRMATION } from "./selectors";

/** Arden Motors: one long claim form → confirmation page. */
export const arden: PortalAdapter<"arden"> = {
  oemId: "arden",
  version: "arden@2",
  submit(ctx: AdapterContext): Promise<AdapterResult> {
    const { page } = ctx;
    return fileOnce(ctx, ARDEN_PORTAL, mapArdenClaim, async (claim) => {
      await ctx.step("open_form", async () => {
        await gotoPortal(page, ARDEN_PORTAL, `${ctx.portalUrl}/claims/new`);
        await dismissPopups(ctx, ARDEN_PORTAL);
      });
      await ctx.step("fill", () => fillPage(ctx, ARDEN_PORTAL, () => fillClaim(ctx, claim)));
      await ctx.step("submit", async () => {
        await clearForSubmit(ctx, ARDEN_PORTAL);
        const button = await locate(ctx, ARDEN.submit);
        await ctx.markSubmitClicked();
        await clickAndWaitForPage(ctx, ARDEN_PORTAL, button);
      });
      const confirmationNumber = await ctx.step("capture_confirmation", () => readConfirmation(ctx, ARDEN_PORTAL, ARDEN.confirmationNumber, ARDEN_CONFIRMATION));
      return confirmationNumber;
    });
  },
};

async function fillClaim(ctx: AdapterContext, claim: ArdenClaim): Promise<void> {
  await fillText(ctx, ARDEN.caseReference, claim.caseReference);
  await selectValue(ctx, ARDEN.claimType, claim.claimType);
  await fillText(ctx, ARDEN.vin, claim.vin);
  await fillText(ctx, ARDEN.mileage, claim.mileage);
  await fillText(ctx, ARDEN.failureDate, claim.failureDate);
  await selectValue(ctx, ARDEN.category, claim.category);
  await fillText(ctx, ARDEN.description, claim.description);
  await fillText(ctx, ARDEN.customerName, claim.customerName);
  await fillText(ctx, ARDEN.customerEmail, claim.customerEmail);
  await setCheckbox(ctx, ARDEN.confirmAccuracy, claim.confirmAccuracy);
}
