import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { E2E_DATABASE_URL } from "./ports";

// A failed case's evidence in real Chromium against the real launcher: the attempt timeline, the
// screenshot lightbox, the DOM snapshot in a sandboxed frame (scripts off), the trace opened in the
// trace viewer the app serves itself (listing the attempt's actions), and the downloads.

// playwright.config.ts runs the launcher with NIGHTSHIFT_DATA_DIR=.nightshift/e2e; the local store lives beside it.
const ARTIFACTS_DIR = path.resolve(".nightshift/e2e/artifacts");

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(E2E_DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

interface FailedCase {
  caseId: string;
  runId: string;
  attempt: number;
  domKey: string;
}

/** A seeded case the portal refused (bad data): a terminal fail whose attempt kept a DOM snapshot and a trace. */
async function failedCaseWithEvidence(): Promise<FailedCase> {
  let found: FailedCase | undefined;
  await expect(async () => {
    [found] = await sql<FailedCase[]>`
      select c.id as "caseId", r.id as "runId", a.number as attempt, d.key as "domKey"
      from cases c
      join runs r on r.case_id = c.id and r.status in ('needs_review', 'failed', 'parked')
      join attempts a on a.run_id = r.id
      join artifacts d on d.attempt_id = a.id and d.kind = 'dom'
      join artifacts t on t.attempt_id = a.id and t.kind = 'trace'
      join artifacts s on s.attempt_id = a.id and s.kind = 'screenshot'
      where not exists (select 1 from runs o where o.case_id = c.id and o.created_at > r.created_at)
      order by r.finished_at asc, a.number desc limit 1`;
    expect(found).toBeDefined();
  }, "a terminal fail with a screenshot, a DOM snapshot and a trace").toPass({ timeout: 180_000, intervals: [2_000] });
  return found!;
}

test("a failed case's evidence: timeline, screenshot lightbox, sandboxed DOM snapshot, the trace in the served viewer, downloads", async ({ page, context }) => {
  test.setTimeout(300_000);
  const failed = await failedCaseWithEvidence();
  // Prove the frame runs no script: the snapshot now carries one that would write into the page.
  await appendFile(path.join(ARTIFACTS_DIR, failed.domKey), `<script>document.body.insertAdjacentHTML("beforeend", "<p id='ns-e2e-script'>SCRIPT RAN</p>")</script>`);

  // /runs/<id> is the run on its case's page.
  await page.goto(`/runs/${failed.runId}`);
  await expect(page).toHaveURL(new RegExp(`/cases/${failed.caseId}#run-${failed.runId}$`));
  const run = page.locator(`#run-${failed.runId}`);
  const attempt = run.locator(`[data-slot="attempt"][data-attempt="${failed.attempt}"]`);
  await expect(attempt).toBeVisible();

  // Timeline: queue wait and run time in words, the steps with their durations, what ended it.
  await expect(attempt.locator('[data-slot="attempt-timeline-summary"]')).toHaveText(/^(Waited .+ in the queue|Started at once) · ran \d/);
  await expect(attempt.getByRole("list", { name: "Steps" }).getByRole("listitem").first()).toContainText(/\d+(\.\d)? (ms|s)/);
  await expect(attempt.locator('[data-slot="attempt-ending"]')).toContainText(/Ended/);

  // Screenshot lightbox.
  await attempt.getByRole("button", { name: new RegExp(`^Enlarge .*screenshot.*attempt ${failed.attempt}$`) }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  const large = dialog.getByRole("img");
  await expect.poll(() => large.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // DOM snapshot in a sandboxed frame: the portal's page text, its script never ran, no network.
  const viewResponse = page.waitForResponse((response) => response.url().includes(encodeURI(failed.domKey)) && response.url().includes("view=1"));
  await attempt.getByRole("button", { name: "Show DOM snapshot" }).click();
  const frameElement = attempt.locator("iframe");
  await expect(frameElement).toHaveAttribute("sandbox", "");
  const response = await viewResponse;
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/html; charset=utf-8");
  expect(response.headers()["content-security-policy"]).toMatch(/^sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'/);
  const frame = attempt.frameLocator("iframe");
  await expect(frame.locator("main")).toBeVisible();
  await expect(frame.locator("body")).toContainText(/\w{3,}/);
  const snapshotHtml = await readFile(path.join(ARTIFACTS_DIR, failed.domKey), "utf8");
  const heading = /<h1[^>]*>([^<]+)<\/h1>/.exec(snapshotHtml)?.[1]?.trim();
  if (heading) await expect(frame.locator("h1").first()).toHaveText(heading);
  await expect(frame.locator("#ns-e2e-script")).toHaveCount(0);

  // Downloads: the DOM snapshot as text, the trace as a zip.
  const domDownload = page.waitForEvent("download");
  await attempt.getByRole("link", { name: "Download", exact: true }).click();
  expect((await domDownload).suggestedFilename()).toBe(`${failed.runId}-${failed.attempt}-dom.html`);
  const traceDownload = page.waitForEvent("download");
  await attempt.getByRole("link", { name: "Download trace" }).click();
  const trace = await traceDownload;
  expect(trace.suggestedFilename()).toBe(`${failed.runId}-${failed.attempt}-trace.zip`);
  const zip = await readFile(await trace.path());
  expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");
  await expect(attempt.getByText(`npx playwright show-trace ${failed.runId}-${failed.attempt}-trace.zip`)).toBeVisible();

  // The trace in the viewer the app serves (its service worker fetches the signed link), listing the actions.
  const popupPromise = context.waitForEvent("page");
  await attempt.getByRole("link", { name: /Open trace/ }).click();
  const viewer = await popupPromise;
  await viewer.waitForLoadState();
  expect(new URL(viewer.url()).pathname).toBe("/trace-viewer/index.html");
  expect(new URL(new URL(viewer.url()).searchParams.get("trace")!).pathname).toBe(`/api/artifacts/${failed.domKey.replace(/dom\.html$/, "trace.zip")}`);
  await expect(viewer.getByText(/^(Fill|Click|Navigate to|Goto|Wait for)\b/).first()).toBeVisible({ timeout: 30_000 });
  await expect(viewer.getByText(/^Fill\b/).first()).toBeVisible();
  await viewer.close();

  // Accessible: no serious or critical axe violations on the case page with the evidence open.
  // The DOM snapshot frame holds the portal's own captured HTML (third-party, sandboxed, no scripts): not our UI to audit,
  // and axe waited on it until the test timed out (iframes: false keeps axe to our page).
  const axe = await new AxeBuilder({ page }).include("main").exclude("iframe").options({ iframes: false }).analyze();
  const serious = axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("an expired or forged evidence link is refused with 403 and a sentence, never the bytes", async ({ request }) => {
  const failed = await failedCaseWithEvidence();
  const forged = await request.get(`/api/artifacts/${failed.domKey}?expires=9999999999&sig=${"A".repeat(43)}&view=1`);
  expect(forged.status()).toBe(403);
  expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  const expired = await request.get(`/api/artifacts/${failed.domKey}?expires=1&sig=${"A".repeat(43)}`);
  expect(expired.status()).toBe(403);
});

test("the trace viewer is served by the app and refuses paths outside its folder", async ({ request }) => {
  const index = await request.get("/trace-viewer/index.html");
  expect(index.status()).toBe(200);
  expect(await index.text()).toContain("Playwright Trace Viewer");
  const worker = await request.get("/trace-viewer/sw.bundle.js");
  expect(worker.headers()["content-type"]).toBe("text/javascript; charset=utf-8");
  for (const probe of ["/trace-viewer/..%2f..%2fpackage.json", "/trace-viewer/%2e%2e/%2e%2e/package.json", "/trace-viewer/assets/..%5c..%5cpackage.json"]) {
    const response = await request.get(probe, { maxRedirects: 0 });
    expect(response.status(), probe).toBeGreaterThanOrEqual(400);
    expect(await response.text(), probe).not.toContain('"name": "playwright-core"');
  }
});
