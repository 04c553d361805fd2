import { PortalRejectedError } from "@/lib/runs/errors";
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
  required,
  selectValue,
  expectSearchOutcome,
  fileOnce,
} from "../../portal-kit";
import { CORVID_PORTAL } from "./pages";
import { mapCorvidReport, type CorvidReport } from "./mapping";
import { CORVID, CORVID_CONFIRMATION, UNIT_NOT_FOUND, UNIT_ROW } from "./selectors";

/** Corvid Instruments: search the instrument, open it, fill the report, confirm in a modal dialog. */
export const corvid: PortalAdapter<"corvid"> = {
  oemId: "corvid",
  version: "corvid@2",
  submit(ctx: AdapterContext): Promise<AdapterResult> {
    const { page } = ctx;
    return fileOnce(ctx, CORVID_PORTAL, mapCorvidReport, async (report) => {
      const unitUrl = await ctx.step("find_unit", () => findUnit(ctx, report.instrumentId));
      await ctx.step("open_form", async () => {
        await gotoPortal(page, CORVID_PORTAL, unitUrl);
        await dismissPopups(ctx, CORVID_PORTAL);
        if ((await page.locator(UNIT_NOT_FOUND).count()) > 0) {
          throw new PortalRejectedError(`Corvid has no instrument ${report.instrumentId} (instrument not found).`, "unitId");
        }
      });
      await ctx.step("fill", () => fillPage(ctx, CORVID_PORTAL, () => fillReport(ctx, report)));
      await ctx.step("submit", async () => {
        await clearForSubmit(ctx, CORVID_PORTAL);
        await (await locate(ctx, CORVID.review)).click();
        // The confirm dialog, by its selector or its role (a redesign renames ids, not roles).
        await required(page.locator(CORVID.confirmDialog.primary).or(page.getByRole("dialog")), CORVID.confirmDialog.name);
        const confirm = await locate(ctx, CORVID.confirm);
        await ctx.markSubmitClicked();
        await clickAndWaitForPage(ctx, CORVID_PORTAL, confirm);
      });
      const confirmationNumber = await ctx.step("capture_confirmation", () => readConfirmation(ctx, CORVID_PORTAL, CORVID.confirmationNumber, CORVID_CONFIRMATION));
      return confirmationNumber;
    });
  },
};

/** Searches the instrument (the search URL is stable under drift) and returns its page's URL. */
async function findUnit(ctx: AdapterContext, instrumentId: string): Promise<string> {
  const { page } = ctx;
  await gotoPortal(page, CORVID_PORTAL, `${ctx.portalUrl}/units?q=${encodeURIComponent(instrumentId)}`);
  await dismissPopups(ctx, CORVID_PORTAL);
  await expectSearchOutcome(page, page.locator(UNIT_ROW), CORVID.noResults, "instrument search result");
  const row = page.locator(`${UNIT_ROW}[data-unit-id=${JSON.stringify(instrumentId)}]`);
  if ((await row.count()) === 0) {
    const noResults = await page.locator(CORVID.noResults.primary).first().textContent({ timeout: 1_000 }).catch(() => null);
    throw new PortalRejectedError(noResults?.replace(/\s+/g, " ").trim() || `Corvid lists no instrument with the exact ID ${instrumentId}.`, "unitId");
  }
  const href = await required(row.first().locator("a[href]"), "instrument link in the search results");
  return new URL((await href.first().getAttribute("href")) ?? "", page.url()).toString();
}

async function fillReport(ctx: AdapterContext, report: CorvidReport): Promise<void> {
  await fillText(ctx, CORVID.caseReference, report.caseReference);
  await selectValue(ctx, CORVID.reportType, report.reportType);
  await fillText(ctx, CORVID.eventDate, report.eventDate);
  await selectValue(ctx, CORVID.category, report.category);
  await fillText(ctx, CORVID.cycleCount, report.cycleCount);
  await fillText(ctx, CORVID.summary, report.summary);
  await fillText(ctx, CORVID.reporterEmail, report.reporterEmail);
}
