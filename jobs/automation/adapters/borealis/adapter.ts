import { AttemptError } from "@/lib/runs/errors";
import type { AdapterContext, AdapterResult, PortalAdapter } from "../../adapter";
import {
  assertStillSignedIn,
  clearForSubmit,
  clickAndWaitForPage,
  fillPage,
  fillText,
  gotoPortal,
  locate,
  readConfirmation,
  readPortalMessages,
  required,
  selectValue,
  setCheckbox,
  type ActionTarget,
  fileOnce,
} from "../../portal-kit";
import { BOREALIS_PORTAL } from "./pages";
import { mapBorealisSubmission, type BorealisSubmission } from "./mapping";
import { BOREALIS, BOREALIS_CONFIRMATION, CURRENT_STEP } from "./selectors";

/** Borealis Machinery: a 4-step wizard (machine, details, PDF upload, review) → receipt page. */
export const borealis: PortalAdapter<"borealis"> = {
  oemId: "borealis",
  version: "borealis@2",
  submit(ctx: AdapterContext): Promise<AdapterResult> {
    const { page } = ctx;
    return fileOnce(ctx, BOREALIS_PORTAL, mapBorealisSubmission, async (submission) => {
      await ctx.step("open_form", async () => {
        // Starting discards any draft the portal kept in the session.
        await gotoPortal(page, BOREALIS_PORTAL, `${ctx.portalUrl}/submission/start`);
        await expectStep(ctx, 1);
      });
      await ctx.step("fill", async () => {
        await completeStep(ctx, 1, () => fillMachine(ctx, submission));
        await completeStep(ctx, 2, () => fillDetails(ctx, submission));
      });
      await ctx.step("upload", async () => {
        const attachment = await ctx.loadAttachment();
        await completeStep(ctx, 3, async () => {
          const input = await locate(ctx, BOREALIS.document);
          await input.setInputFiles({ name: attachment.fileName, mimeType: attachment.contentType, buffer: attachment.body });
        });
      });
      await ctx.step("submit", async () => {
        await fillPage(ctx, BOREALIS_PORTAL, () => setCheckbox(ctx, BOREALIS.declaration, submission.declaration));
        await clearForSubmit(ctx, BOREALIS_PORTAL);
        const button = await locate(ctx, BOREALIS.submit);
        await ctx.markSubmitClicked();
        await clickAndWaitForPage(ctx, BOREALIS_PORTAL, button);
      });
      const confirmationNumber = await ctx.step("capture_confirmation", () => readConfirmation(ctx, BOREALIS_PORTAL, BOREALIS.receiptNumber, BOREALIS_CONFIRMATION));
      return confirmationNumber;
    });
  },
};

async function fillMachine(ctx: AdapterContext, s: BorealisSubmission): Promise<void> {
  await fillText(ctx, BOREALIS.caseReference, s.machine.caseReference);
  await selectValue(ctx, BOREALIS.submissionType, s.machine.submissionType);
  await fillText(ctx, BOREALIS.serialNumber, s.machine.serialNumber);
}

async function fillDetails(ctx: AdapterContext, s: BorealisSubmission): Promise<void> {
  await fillText(ctx, BOREALIS.engineHours, s.details.engineHours);
  await fillText(ctx, BOREALIS.eventDate, s.details.eventDate);
  await selectValue(ctx, BOREALIS.category, s.details.category);
  await fillText(ctx, BOREALIS.details, s.details.details);
  await fillText(ctx, BOREALIS.contactName, s.details.contactName);
  await fillText(ctx, BOREALIS.contactPhone, s.details.contactPhone);
}

/** Fills wizard step `n`, presses Next, and expects step n + 1 (the portal's refusal otherwise). */
async function completeStep(ctx: AdapterContext, n: number, fill: () => Promise<void>): Promise<void> {
  await expectStep(ctx, n);
  await fillPage(ctx, BOREALIS_PORTAL, fill);
  await pressAndExpect(ctx, BOREALIS.next, n + 1);
}

async function pressAndExpect(ctx: AdapterContext, button: ActionTarget, nextStep: number): Promise<void> {
  await clearForSubmit(ctx, BOREALIS_PORTAL);
  await clickAndWaitForPage(ctx, BOREALIS_PORTAL, await locate(ctx, button));
  await readPortalMessages(ctx.page, BOREALIS_PORTAL);
  assertStillSignedIn(ctx.page, BOREALIS_PORTAL);
  await expectStep(ctx, nextStep);
}

async function expectStep(ctx: AdapterContext, n: number): Promise<void> {
  const current = await required(ctx.page.locator(CURRENT_STEP), "wizard progress (current step)");
  const step = Number(await current.first().getAttribute("data-step"));
  if (step !== n) {
    throw new AttemptError("site_changed", "wizard_out_of_step", `The Borealis wizard showed step ${step || "?"} where step ${n} was expected.`);
  }
}
