import { z } from "zod";
import type { DoctorCheck } from "../types";

const discoverySchema = z.looseObject({ issuer: z.string(), authorization_endpoint: z.string(), token_endpoint: z.string() });

/** With OIDC_ISSUER: the identity provider's discovery document answers and names the same issuer. */
export const oidcDiscovery: DoctorCheck = {
  id: "oidc",
  label: "SSO identity provider",
  async run({ env, fetch }) {
    if (!env.OIDC_ISSUER) return { status: "skip", sentence: "SSO is off (OIDC_ISSUER is not set): local accounts only." };
    const issuer = env.OIDC_ISSUER.replace(/\/+$/, "");
    const url = `${issuer}/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(4_000), headers: { accept: "application/json" } });
    } catch {
      return { status: "fail", sentence: `The identity provider at ${issuer} could not be reached.`, fix: "Check OIDC_ISSUER and the network path to the identity provider." };
    }
    if (!response.ok) return { status: "fail", sentence: `The identity provider answered ${response.status} for its discovery document.`, fix: "Check OIDC_ISSUER: it is the issuer URL, without /.well-known/…" };
    const document = discoverySchema.safeParse(await response.json().catch(() => null));
    if (!document.success) return { status: "fail", sentence: "The identity provider's discovery document is not valid OpenID Connect.", fix: "Check OIDC_ISSUER points at the OpenID Connect issuer." };
    if (document.data.issuer.replace(/\/+$/, "") !== issuer) {
      return { status: "fail", sentence: `The discovery document names issuer ${document.data.issuer}, not ${issuer}: sign-ins would be refused.`, fix: `Set OIDC_ISSUER=${document.data.issuer}.` };
    }
    return { status: "ok", sentence: `The identity provider at ${issuer} publishes its discovery document.` };
  },
};
