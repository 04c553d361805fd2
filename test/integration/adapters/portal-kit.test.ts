import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ARDEN_PORTAL } from "@/jobs/automation/adapters/arden/pages";
import type { AdapterContext } from "@/jobs/automation/adapter";
import { actionTarget, clickAndWaitForPage, expectSearchOutcome, fillText, locate, readConfirmation, readPortalMessages, selectValue, setCheckbox, textTarget } from "@/jobs/automation/portal-kit";
import { AttemptError, PortalRejectedError, SelectorMissingError } from "@/lib/runs/errors";
import { trackResource } from "../../support/resources";

// The portal kit's failure paths on hand-made pages: what the sandbox cannot show (an element
// missing, a confirmation number moved, a search page that cannot be read). Healing itself is
// tested in test/integration/healing/.

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
  it("finds a target by its primary selector alone when no healing session runs, with no fallback list", async () => {
    await page.setContent(`<label for="vin">VIN</label><input id="vin">`);
    const vin = actionTarget("field", "test.claim.vin", "VIN", "#vin");
    await (await locate({ page, log }, vin)).fill("1AR4JBW5TGFF995P6");
    expect(await page.inputValue("#vin")).toBe("1AR4JBW5TGFF995P6");
  });

  it("throws site_changed when the primary selector never appears and nothing may heal it", async () => {
    await page.setContent(`<label for="vehicle-id">VIN</label><input id="vehicle-id">`);
    const error = await locate({ page, log }, actionTarget("field", "test.claim.vin", "VIN", "#vin")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SelectorMissingError);
    expect(error).toMatchObject({ errorClass: "site_changed", code: "selector_missing", selector: "VIN" });
  });

  it("checks each action's postcondition: a field that drops what was typed, a select that snaps back or a checkbox that will not stay ticked is a portal change", async () => {
    await page.setContent(`<label for="vin">VIN</label><input id="vin" oninput="this.value = ''">
      <label for="kind">Kind</label><select id="kind" onchange="this.value = 'a'"><option value="a">A</option><option value="b">B</option></select>
      <label><input type="checkbox" id="ok" onclick="return false"> I confirm</label>
      <label for="name">Name</label><input id="name" oninput="this.value = this.value.toUpperCase()">`);
    const driver = { page, log };
    await expect(fillText(driver, actionTarget("field", "test.claim.vin", "VIN", "#vin"), "1AR4JBW5TGFF995P6")).rejects.toMatchObject({ errorClass: "site_changed", message: /VIN — After filling, the field holds ""/ });
    await expect(selectValue(driver, actionTarget("select", "test.claim.kind", "kind", "#kind"), "b")).rejects.toMatchObject({ errorClass: "site_changed", message: /After selecting "b", the list shows "a"/ });
    await expect(setCheckbox(driver, actionTarget("checkbox", "test.claim.ok", "confirmation", "#ok"), true)).rejects.toMatchObject({ errorClass: "site_changed", message: /After ticking it, the checkbox is clear/ });
    // A portal that only changes the case of what was typed took the value.
    await expect(fillText(driver, actionTarget("field", "test.claim.name", "name", "#name"), "Ada Lovelace")).resolves.toBeUndefined();
  });

  it("reads the confirmation number by its format when its element was renamed, and never guesses between two", async () => {
    const ctx = { page, log } as unknown as AdapterContext;
    const number = textTarget("test.confirmation.number", "confirmation number", "#confirmation-number");
    await page.setContent(`<main><h1>Claim received</h1><p>Your receipt: <strong id="receipt-id">ARD-7KQ2MX</strong></p><p>Ref NS-2026-00012</p></main>`);
    await expect(readConfirmation(ctx, ARDEN_PORTAL, number, /^ARD-[A-HJ-NP-Z2-9]{6}$/)).resolves.toBe("ARD-7KQ2MX");
    await page.setContent(`<main><p>ARD-7KQ2MX</p><p>ARD-9PPR4T</p></main>`);
    await expect(readConfirmation(ctx, ARDEN_PORTAL, number, /^ARD-[A-HJ-NP-Z2-9]{6}$/)).rejects.toMatchObject({ errorClass: "site_changed", code: "confirmation_ambiguous" });
  });

  it("reads an empty search by its words, and refuses a search page it cannot read (a case must never be filed twice)", async () => {
    const empty = textTarget("test.filings.empty", "filings empty message", '[data-testid="filings-empty"]');
    await page.setContent(`<main><h1>Claim history</h1><p class="muted">No claims match this reference.</p></main>`);
    await expect(expectSearchOutcome(page, page.locator("tr[data-confirmation-number]"), empty, "filings search result")).resolves.toBeUndefined();
    await page.setContent(`<main><h1>Claim history</h1><table><tr class="row"><td>NS-2026-00012</td><td>ARD-7KQ2MX</td></tr></table></main>`);
    const error = await expectSearchOutcome(page, page.locator("tr[data-confirmation-number]"), empty, "filings search result").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptError);
    expect(error).toMatchObject({ errorClass: "site_changed", code: "selector_missing" });
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

  it("turns inline field errors into a rejection naming the first field", async () => {
    await page.setContent(`<div data-testid="form-errors"><ul><li>a</li><li>b</li></ul></div>
      <p data-testid="field-error-vin">Invalid VIN</p><p data-testid="field-error-mileage">Enter the odometer reading</p>`);
    const error = await readPortalMessages(page, ARDEN_PORTAL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalRejectedError);
    expect(error).toMatchObject({ code: "field_invalid", field: "vin", message: "Invalid VIN; Enter the odometer reading" });
  });
});
