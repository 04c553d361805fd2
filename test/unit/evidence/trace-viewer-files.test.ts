import { existsSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createTraceViewerHandler } from "@/app/trace-viewer/[[...path]]/trace-viewer-handler";
import { readTraceViewerFile, resolveTraceViewerFile, traceViewerRoot } from "@/lib/artifacts/trace-viewer-files";

// The served trace viewer: playwright-core's own files, and nothing outside their folder.

const root = traceViewerRoot();
const GET = createTraceViewerHandler(
  () => pino({ level: "silent" }),
  () => ({ root }),
);
const get = (segments: string[] | undefined, search = "") =>
  GET(new Request(`http://127.0.0.1:3000/trace-viewer/${(segments ?? []).join("/")}${search}`), { params: Promise.resolve(segments ? { path: segments } : {}) });

describe("traceViewerRoot", () => {
  it("finds the viewer playwright-core ships (index.html, the service worker)", () => {
    expect(root).toMatch(/playwright-core[/\\]lib[/\\]vite[/\\]traceViewer$/);
    expect(existsSync(path.join(root, "index.html"))).toBe(true);
    expect(existsSync(path.join(root, "sw.bundle.js"))).toBe(true);
  });
});

describe("resolveTraceViewerFile", () => {
  it("resolves the viewer's files inside its folder with their content types", () => {
    expect(resolveTraceViewerFile(root, ["index.html"])).toEqual({ file: path.join(root, "index.html"), contentType: "text/html; charset=utf-8", cacheControl: "no-cache" });
    expect(resolveTraceViewerFile(root, ["sw.bundle.js"])).toMatchObject({ contentType: "text/javascript; charset=utf-8", cacheControl: "no-cache" });
    expect(resolveTraceViewerFile(root, ["manifest.webmanifest"])?.contentType).toBe("application/manifest+json");
    expect(resolveTraceViewerFile(root, ["playwright-logo.svg"])?.contentType).toBe("image/svg+xml");
  });

  it("caches content-hashed assets for a year and revalidates the pages and the service worker", () => {
    expect(resolveTraceViewerFile(root, ["assets", "urlMatch-Cgl6axSs.js"])?.cacheControl).toBe("public, max-age=31536000, immutable");
    expect(resolveTraceViewerFile(root, ["index.BY2vkw8A.js"])?.cacheControl).toBe("public, max-age=31536000, immutable");
    expect(resolveTraceViewerFile(root, ["codicon.DCmgc-ay.ttf"])).toMatchObject({ contentType: "font/ttf", cacheControl: "public, max-age=31536000, immutable" });
    expect(resolveTraceViewerFile(root, ["snapshot.html"])?.cacheControl).toBe("no-cache");
  });

  it("refuses .. and . segments", () => {
    expect(resolveTraceViewerFile(root, ["..", "..", "package.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["assets", "..", "..", "index.js"])).toBeNull();
    expect(resolveTraceViewerFile(root, [".", "index.html"])).toBeNull();
  });

  it("refuses absolute paths and separators inside a segment", () => {
    expect(resolveTraceViewerFile(root, ["/etc/passwd"])).toBeNull();
    expect(resolveTraceViewerFile(root, [path.join(root, "index.html")])).toBeNull();
    expect(resolveTraceViewerFile(root, ["assets/../../../package.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["..\\..\\package.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["C:", "index.html"])).toBeNull();
  });

  it("refuses encoded traversal (a segment still holding %2e, %2f or %5c) and NUL bytes", () => {
    expect(resolveTraceViewerFile(root, ["%2e%2e", "%2e%2e", "package.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["..%2f..%2fpackage.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["%252e%252e", "package.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["..%5c..%5cpackage.json"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["index.html\u0000.js"])).toBeNull();
  });

  it("refuses dot files, unknown types and empty paths", () => {
    expect(resolveTraceViewerFile(root, [".env"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["index"])).toBeNull();
    expect(resolveTraceViewerFile(root, ["server.mjs"])).toBeNull();
    expect(resolveTraceViewerFile(root, [])).toBeNull();
  });

  it("reads nothing for a refused or absent file", async () => {
    expect(await readTraceViewerFile(root, ["..", "..", "package.json"])).toBeNull();
    expect(await readTraceViewerFile(root, ["missing.js"])).toBeNull();
  });
});

describe("GET /trace-viewer/<file>", () => {
  it("serves index.html as HTML, no-sniff and not frameable by other sites", async () => {
    const response = await get(["index.html"], "?trace=x");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(await response.text()).toContain("Playwright Trace Viewer");
  });

  it("serves the service worker as JavaScript from the viewer's own folder (its scope)", async () => {
    const response = await get(["sw.bundle.js"]);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  it("sends /trace-viewer to index.html with the trace parameter kept", async () => {
    const response = await get(undefined, "?trace=http%3A%2F%2F127.0.0.1%3A3000%2Fapi%2Fartifacts%2Fx%3Fsig%3Dy");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/trace-viewer/index.html?trace=http%3A%2F%2F127.0.0.1%3A3000%2Fapi%2Fartifacts%2Fx%3Fsig%3Dy");
  });

  it("answers 404 for traversal and for files the viewer does not have", async () => {
    for (const segments of [["..", "..", "package.json"], ["%2e%2e", "package.json"], ["nope.js"]]) {
      const response = await get(segments);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });
});
