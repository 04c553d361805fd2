import { OEM_CATALOG } from "../../oems/catalog";
import { listPortalCredentialStatus } from "../../portals/credentials";
import type { DoctorCheck } from "../types";

/** Every OEM has credentials: stored (sealed, Portals page) or from PORTAL_CREDENTIALS. */
export const portalCredentialsPresent: DoctorCheck = {
  id: "portal-credentials",
  label: "Portal credentials for every OEM",
  async run({ db, integrations }) {
    const environment = integrations().portals;
    const statuses = db
      ? await listPortalCredentialStatus(db, { environment })
      : Object.fromEntries(OEM_CATALOG.map((o) => [o.id, { source: environment[o.id]?.credentials ? "environment" : "missing" }]));
    // An OEM not synced into the database yet (a fresh install) still has the environment's credentials.
    const sourceOf = (id: string) => statuses[id]?.source ?? (environment[id]?.credentials ? "environment" : "missing");
    const missing = OEM_CATALOG.filter((o) => sourceOf(o.id) === "missing").map((o) => o.label);
    const bySource = OEM_CATALOG.map((o) => `${o.label} (${sourceOf(o.id)})`).join(", ");
    if (missing.length > 0) return { status: "fail", sentence: `No credentials for ${missing.join(", ")}: their attempts fail as credentials refused.`, fix: "An admin sets them on the Portals page (or PORTAL_CREDENTIALS)." };
    return { status: "ok", sentence: `Credentials are present for every portal: ${bySource}.` };
  },
};
