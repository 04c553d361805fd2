import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Playwright's own trace viewer, served by the app from the files playwright-core ships
 * (`lib/vite/traceViewer/`), so a trace opens in the browser without anything fetched from the
 * internet. Only a folder is located here; Playwright itself is never loaded by the web app.
 */

/** The viewer's folder inside the installed playwright-core, resolved at run time from the app's root. */
export function traceViewerRoot(appRoot: string = process.cwd()): string {
  // Resolved through a require made at run time (not an import), so the bundler neither pulls
  // playwright-core into the web bundle nor rewrites the path to a build-time location.
  const packageJson = createRequire(path.join(appRoot, "package.json")).resolve("playwright-core/package.json");
  return path.join(path.dirname(packageJson), "lib", "vite", "traceViewer");
}

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  ttf: "font/ttf",
  woff2: "font/woff2",
  png: "image/png",
  json: "application/json",
  webmanifest: "application/manifest+json",
};

/** One plain file name per segment: letters, digits, `.`, `_`, `-`; never a dot file, `.`/`..`, a separator or an escape. */
const SEGMENT_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
/** Vite's content-hashed names (`index.BY2vkw8A.js`, `urlMatch-Cgl6axSs.js`): safe to cache for a year. */
const HASHED_PATTERN = /[.-][A-Za-z0-9_-]{8}\.(js|css|ttf|woff2|svg|png)$/;

export interface TraceViewerFile {
  /** Absolute path inside the viewer's folder. */
  file: string;
  contentType: string;
  cacheControl: string;
}

/**
 * The file a request path under `/trace-viewer/` names, or null when it is not one the viewer
 * could ship: `..`, absolute paths, encoded separators, dot files, unknown types. The result is
 * always inside `root` (checked again after resolving).
 */
export function resolveTraceViewerFile(root: string, segments: readonly string[]): TraceViewerFile | null {
  if (segments.length === 0 || segments.length > 4) return null;
  if (!segments.every((segment) => SEGMENT_PATTERN.test(segment) && segment !== "." && segment !== "..")) return null;
  const name = segments.at(-1)!;
  const dot = name.lastIndexOf(".");
  const contentType = dot > 0 ? CONTENT_TYPES[name.slice(dot + 1)] : undefined;
  if (!contentType) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (!file.startsWith(base + path.sep)) return null;
  // The HTML pages and the service worker change with playwright-core: always revalidated.
  const cacheControl = HASHED_PATTERN.test(name) ? "public, max-age=31536000, immutable" : "no-cache";
  return { file, contentType, cacheControl };
}

/** The bytes and headers of a viewer file, or null when the path is refused or nothing is there. */
export async function readTraceViewerFile(root: string, segments: readonly string[]): Promise<{ body: Buffer; headers: Record<string, string> } | null> {
  const resolved = resolveTraceViewerFile(root, segments);
  if (!resolved) return null;
  let body: Buffer;
  try {
    body = await readFile(resolved.file);
  } catch {
    return null;
  }
  return {
    body,
    headers: {
      "content-type": resolved.contentType,
      "content-length": String(body.byteLength),
      "cache-control": resolved.cacheControl,
      "x-content-type-options": "nosniff",
      // The viewer shows portal pages from the trace; nobody else may frame it.
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "no-referrer",
    },
  };
}
