/**
 * The sandbox's well-known local values (see sandbox/README.md). Used only with SANDBOX=on, and
 * refused when NIGHTSHIFT_ENV=prod (lib/config/env.ts, lib/config/integrations.ts).
 */
export const SANDBOX_CRM_TOKEN = "sandbox-crm-token";

/** The sandbox portals' account password of an OEM. */
export function sandboxPortalPassword(oemId: string): string {
  return `sandbox-${oemId}-pass`;
}

/** Where the sandbox serves, as seen from this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "0.0.0.0" || /^127\./.test(host);
}

/** Whether a URL points at the sandbox: a loopback address on the sandbox port, or its CRM/portal paths on loopback. */
export function isSandboxUrl(url: string, sandboxPort: number): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!isLoopbackHost(parsed.hostname)) return false;
  return parsed.port === String(sandboxPort) || /^\/(crm\/api|portals)(\/|$)/.test(parsed.pathname);
}
