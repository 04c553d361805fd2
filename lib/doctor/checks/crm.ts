import { CrmError } from "../../crm/connector";
import type { DoctorCheck } from "../types";

/** A real authenticated GET through the CRM connector (the most recent change, at most one case). */
export const crmReachable: DoctorCheck = {
  id: "crm",
  label: "CRM reachable with its token",
  timeoutMs: 8_000,
  async run(context) {
    const { crm } = context.integrations();
    const host = safeHost(crm.baseUrl);
    const started = performance.now();
    try {
      await context.crm().listChangedCases({ since: context.now(), limit: 1 });
    } catch (error) {
      if (error instanceof CrmError && (error.status === 401 || error.status === 403)) {
        return { status: "fail", sentence: `The CRM at ${host} refused the token (${error.status}).`, fix: "Set CRM_TOKEN to a valid token for this environment's CRM." };
      }
      if (error instanceof CrmError && error.status === null) {
        const late = /in time/.test(error.message);
        return { status: "fail", sentence: `The CRM at ${host} ${late ? "did not answer in time" : "could not be reached"}.`, fix: "Check CRM_BASE_URL and that the CRM is up." };
      }
      if (error instanceof CrmError) return { status: "fail", sentence: `The CRM at ${host} answered ${error.status} to an authenticated read.`, fix: "Check CRM_BASE_URL points at the CRM's API and that the CRM is healthy." };
      throw error;
    }
    return { status: "ok", sentence: `The CRM at ${host} answered an authenticated request in ${Math.round(performance.now() - started)} ms.` };
  },
};

/** The Standard Webhooks secret the CRM signs with. */
export const webhookSecretSet: DoctorCheck = {
  id: "webhook-secret",
  label: "Webhook secret set",
  run({ env }) {
    if (env.CRM_WEBHOOK_SECRET) return { status: "ok", sentence: "CRM_WEBHOOK_SECRET is set (the CRM's webhooks are verified)." };
    if (env.NIGHTSHIFT_ENV === "dev") return { status: "warn", sentence: "CRM_WEBHOOK_SECRET is not set here; npm start generates one for the sandbox.", fix: "Set CRM_WEBHOOK_SECRET to the whsec_… secret the CRM signs with." };
    return { status: "fail", sentence: "CRM_WEBHOOK_SECRET is not set: every CRM webhook is refused.", fix: "Set CRM_WEBHOOK_SECRET to the whsec_… secret the CRM signs with." };
  },
};

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
