import type { DoctorCheck } from "../types";
import { artifactStoreWritable } from "./artifacts";
import { browserAvailable } from "./browser";
import { crmReachable, webhookSecretSet } from "./crm";
import { clockSane, databaseMigrated, databaseReachable } from "./database";
import { oidcDiscovery } from "./oidc";
import { portalCredentialsPresent } from "./portals";
import { secretsSet } from "./secrets";

/**
 * Every check `npm run doctor` and the Settings page run, in report order. To add one, append a
 * `DoctorCheck` here.
 */
export const DOCTOR_CHECKS: DoctorCheck[] = [databaseReachable, databaseMigrated, clockSane, crmReachable, webhookSecretSet, portalCredentialsPresent, artifactStoreWritable, browserAvailable, oidcDiscovery, secretsSet];
