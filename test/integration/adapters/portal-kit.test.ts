import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ARDEN_PORTAL } from "@/jobs/automation/adapters/arden/pages";
import { clickAndWaitForPage, dismissPopups, locate, readPortalMessages, target } from "@/jobs/automation/portal-kit";
import { PopupBlockedError, PortalRejectedError, SelectorMissingError } from "@/lib/runs/errors";
import { trackResource } from "../../support/resources";

// The portal kit's failure paths on hand-made pages: what the sandbox cannot show (an element
// missing under every documented selector, an unknown overlay).

let browser: Browser;
let context: BrowserContext;
let page: Page;
let untrack: () => void;
const warnings: Array<Record<string, unknown>> = [];
const log = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) });

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  untrack = trackResource("chromium");
});
afterAll(async () => {
  await browser?.close();
  untrack?.();
});
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  warnings.length = 0;
});
afterEach(async () => {
  await context.close();
});

describe("portal kit", () => {
  it("heals to a documented fallback and says so once", async () => {
    await page.setContent(`<label for="vehicle-id">VIN</label><input id="vehicle-id">`);
    const vin = target("VIN", "#vin", "#vehicle-id");
    await (await locate({ page, log }, vin)).fill("1AR4JBW5TGFF995P6");
    await locate({ page, log }, vin);
    expect(await page.inputValue("#vehicle-id")).toBe("1AR4JBW5TGFF995P6");
    expect(warnings.map((w) => [w.selector, w.healedTo])).toEqual([["VIN", "#vehicle-id"]]);
  });

  it("throws site_changed when neither the selector nor its fallbacks appear", async () => {
    await page.setContent(`<input id="chassis-number">`);
    const error = await locate({ page, log }, target("VIN", "#vin", "#vehicle-id"), { timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SelectorMissingError);
    expect(error).toMatchObject({ errorClass: "site_changed", code: "selector_missing", selector: "VIN" });
  });

  it("fails a click that never happens without leaving an unhandled rejection behind (it would kill the worker)", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      page.setDefaultTimeout(300);
      await page.setContent(`<form><button disabled>Submit</button></form>`);
      await expect(clickAndWaitForPage(page, ARDEN_PORTAL, page.getByRole("button", { name: "Submit" }))).rejects.toThrow(/Timeout/);
      // Outlive the navigation wait that was started before the click.
      await new Promise((r) => setTimeout(r, 800));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("refuses to work under an overlay it does not know", async () => {
    await page.setContent(`<div class="ns-overlay" style="position:fixed;inset:0">Rate us!</div>`);
    await expect(dismissPopups(page, ARDEN_PORTAL)).rejects.toBeInstanceOf(PopupBlockedError);
  });

  it("turns inline field errors into a rejection naming the first field", async () => {
    await page.setContent(`<div data-testid="form-errors"><ul><li>a</li><li>b</li></ul></div>
      <p data-testid="field-error-vin">Invalid VIN</p><p data-testid="field-error-mileage">Enter the odometer reading</p>`);
    const error = await readPortalMessages(page, ARDEN_PORTAL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalRejectedError);
    expect(error).toMatchObject({ code: "field_invalid", field: "vin", message: "Invalid VIN; Enter the odometer reading" });
  });
});
