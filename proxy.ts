import { NextResponse, type NextRequest } from "next/server";

/**
 * Not an authorization boundary (CVE-2025-29927): every page and route checks the session itself
 * (app/_auth/require-user.ts, lib/server/api-route.ts). This only tells pages their own address,
 * so a sign-in redirect can come back to it.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-nightshift-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api/|_next/|trace-viewer|icon.svg|favicon.ico).*)"] };
