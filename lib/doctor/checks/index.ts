import type { DoctorCheck } from "../types";
import { browserAvailable } from "./browser";
import { crmReachable, webhookSecretSet } from "./crm";
import { clockSane, databaseMigrated, databaseReachable } from "./database";
import { oidcDiscovery } from "./oidc";
import { portalCredentialsPresent } from "./portals";
import { secretsSet } from "./secrets";

/**
 * Every check `npm run doctor` and the Settings page run, in report order. To add one (e.g. the
 * artifact store's write/read/delete probe), append a `DoctorCheck` here.
 */
export const DOCTOR_CHECKS: DoctorCheck[] = [databaseReachable, databaseMigrated, clockSane, crmReachable, webhookSecretSet, portalCredentialsPresent, browserAvailable, oidcDiscovery, secretsSet];
