import { z } from "zod";
import { TRACE_VIEWER_PATH } from "@/lib/artifacts/artifact-links";
import { readTraceViewerFile } from "@/lib/artifacts/trace-viewer-files";
import { AppError } from "@/lib/errors/app-error";
import { createRouteFactory } from "@/lib/http/route";
import type { Logger } from "@/lib/log";

export interface TraceViewerRouteDeps {
  /** The viewer's folder (see `traceViewerRoot`). */
  root: string;
}

/**
 * `GET /trace-viewer/<file>`: Playwright's trace viewer from playwright-core's bundled files.
 * `/trace-viewer` alone goes to `index.html` (keeping `?trace=`), because the viewer loads its
 * assets and its service worker relative to that page. Refused or absent paths → 404.
 */
export function createTraceViewerHandler(log: () => Logger, deps: () => TraceViewerRouteDeps) {
  // Playwright's open-source viewer bundle holds no data: the trace itself comes through a signed artifact link.
  const route = createRouteFactory({ deps, resolveActor: () => Promise.resolve(null), log });
  return route(
    { name: "GET /trace-viewer", access: "public", params: z.object({ path: z.array(z.string()).optional() }) },
    async ({ request, params, deps: { root } }) => {
      const segments = params.path ?? [];
      if (segments.length === 0) {
        const target = new URL(`${TRACE_VIEWER_PATH}/index.html`, request.url);
        target.search = new URL(request.url).search;
        return new Response(null, { status: 307, headers: { location: `${target.pathname}${target.search}` } });
      }
      const file = await readTraceViewerFile(root, segments);
      if (!file) throw new AppError("not_found", "The trace viewer has no such file.");
      return new Response(new Uint8Array(file.body), { headers: file.headers });
    },
  );
}
