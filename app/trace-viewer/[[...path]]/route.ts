// GET /trace-viewer/<file> — Playwright's trace viewer, served from playwright-core's bundled files (nothing fetched from the internet); opened as /trace-viewer/index.html?trace=<signed trace link>.
import { traceViewerRoot } from "@/lib/artifacts/trace-viewer-files";
import { getWebLog } from "@/lib/server/web-deps";
import { createTraceViewerHandler } from "./trace-viewer-handler";

export const dynamic = "force-dynamic";

let root: string | undefined;

export const GET = createTraceViewerHandler(getWebLog, () => ({ root: (root ??= traceViewerRoot()) }));
