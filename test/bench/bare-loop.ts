// The bench's baseline: a bare Playwright loop on the Arden portal — sign in, fill the claim
// form, submit, read the confirmation number; nothing else (no database, queue, evidence or CRM).
// Run by test/bench/batch.ts in its own process so its CPU is measured like a worker's.
// Prints one JSON line: { wallMs, durationsMs, failures }.
import { parseArgs } from "node:util";
import { chromium, type Browser } from "playwright-core";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    concurrency: { type: "string", default: "1" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    password: { type: "string", default: "sandbox-arden-pass" },
  },
});

interface BenchCase {
  reference: string;
  kind: string;
  unit: { id: string };
  usage: { value: number };
  incidentDate: string;
  category: string;
  description: string;
  contact: { name: string; email: string };
}

async function fileOne(browser: Browser, base: string, c: BenchCase): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill("#username", "nightshift");
    await page.fill("#password", values.password);
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/login")), page.click("#login-submit")]);
    await page.goto(`${base}/claims/new`);
    await page.fill("#case-reference", c.reference);
    await page.selectOption("#claim-type", c.kind);
    await page.fill("#vin", c.unit.id);
    await page.fill("#mileage", String(Math.round(c.usage.value)));
    await page.fill("#failure-date", c.incidentDate);
    await page.selectOption("#component-category", c.category);
    await page.fill("#description", c.description);
    await page.fill("#customer-name", c.contact.name);
    await page.fill("#customer-email", c.contact.email);
    await page.check("#confirm-accuracy");
    await Promise.all([page.waitForURL(/\/claims\/ARD-/), page.click("#submit-claim")]);
    const number = (await page.textContent("#confirmation-number"))?.trim() ?? "";
    if (!/^ARD-/.test(number)) throw new Error(`no confirmation number for ${c.reference}`);
  } finally {
    await context.close();
  }
}

const sandboxUrl = values.url!;
const all = ((await (await fetch(`${sandboxUrl}/sandbox/admin/crm/cases`)).json()) as { cases: Array<BenchCase & { oem: string; status: string }> }).cases;
const queue = all.filter((c) => c.oem === "arden" && c.status === "new");
const browser = await chromium.launch({ executablePath: values.chromium });
const durationsMs: number[] = [];
let failures = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const t = Date.now();
      try {
        await fileOne(browser, `${sandboxUrl}/portals/arden`, c);
        durationsMs.push(Date.now() - t);
      } catch {
        failures += 1;
      }
    }
  }),
);
const wallMs = Date.now() - started;
await browser.close();
process.stdout.write(`${JSON.stringify({ wallMs, durationsMs, failures })}\n`);
