// Portal accounts at runtime: what the start options say, until the admin API changes a password
// or turns the TOTP step on or off (a rotation test); POST /sandbox/admin/reset restores them.

import type { PortalAccount, ResolvedOptions } from "../context.js";
import { OEM_IDS, type OemId } from "../domain.js";

export function initialAccounts(options: ResolvedOptions): Record<OemId, PortalAccount> {
  const accounts = {} as Record<OemId, PortalAccount>;
  for (const oem of OEM_IDS) accounts[oem] = { ...options.portalCredentials[oem], totpSecret: options.portalTotp[oem] ?? null };
  return accounts;
}
