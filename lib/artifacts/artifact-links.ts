/**
 * Artifact link facts the browser may know too: how long links live, the DOM-snapshot view of a
 * link, and the trace viewer's address. No Node imports, so client components can use them.
 */

/** How long links live, by where they are shown. Defined once; the callers pick one. */
export const ARTIFACT_LINK_TTL_SECONDS = {
  /** Pages and JSON for the UI: reloaded often, so short. */
  ui: 15 * 60,
  /** CRM notes: read hours or days later by a person in the CRM. */
  crmNote: 7 * 24 * 60 * 60,
} as const;

/** The query switch that asks the artifact route to render a DOM snapshot (sandboxed) instead of offering it as a download. */
export const ARTIFACT_VIEW_PARAM = "view";

/** Where the app serves Playwright's own trace viewer (`app/trace-viewer/[[...path]]`). */
export const TRACE_VIEWER_PATH = "/trace-viewer";

const PLACEHOLDER_ORIGIN = "http://relative.invalid";

/**
 * The same signed link with the view switch on: `…/dom.html?expires=…&sig=…&view=1`. The switch
 * is outside the signature on purpose: both answers are safe (a sandboxed page without scripts,
 * or a text download), so it grants nothing. Keeps a relative link relative.
 */
export function artifactViewUrl(url: string): string {
  const parsed = new URL(url, PLACEHOLDER_ORIGIN);
  parsed.searchParams.set(ARTIFACT_VIEW_PARAM, "1");
  return parsed.origin === PLACEHOLDER_ORIGIN ? `${parsed.pathname}${parsed.search}${parsed.hash}` : parsed.toString();
}

/**
 * The served trace viewer opened on one trace: `<origin>/trace-viewer/index.html?trace=<absolute
 * signed link>`. The viewer's service worker fetches the trace itself, so the link must be absolute
 * and its own query string (expires, sig) travels encoded inside `trace`.
 */
export function traceViewerUrl(traceUrl: string, origin: string): string {
  const absolute = new URL(traceUrl, origin).toString();
  return `${TRACE_VIEWER_PATH}/index.html?trace=${encodeURIComponent(absolute)}`;
}

/**
 * How soon live data that carries links must be fetched again so no link on screen dies: a few
 * minutes before links made at `fetchedAt` expire (never sooner than 30 s from `now`).
 */
export function linkRefreshDelayMs(fetchedAt: number, now: number, ttlSeconds: number = ARTIFACT_LINK_TTL_SECONDS.ui): number {
  const margin = Math.min(3 * 60_000, (ttlSeconds * 1000) / 5);
  return Math.max(30_000, fetchedAt + ttlSeconds * 1000 - margin - now);
}

/**
 * The file name a download of this link gets: the key without its `runs/` prefix, dashes for
 * slashes (`<runId>-<attempt>-trace.zip`), as the artifact route's Content-Disposition says.
 */
export function artifactFileName(url: string): string {
  const segments = new URL(url, PLACEHOLDER_ORIGIN).pathname.split("/").map(decodeURIComponent);
  const runs = segments.lastIndexOf("runs");
  return (runs >= 0 ? segments.slice(runs + 1) : segments.slice(-1)).filter(Boolean).join("-");
}
