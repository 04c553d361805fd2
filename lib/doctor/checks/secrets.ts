import { generatedSecretsIn } from "../../config/integrations";
import { SANDBOX_CRM_TOKEN } from "../../config/sandbox-defaults";
import type { DoctorCheck } from "../types";

/** On stage and prod every secret is set explicitly, and none is a dev default. */
export const secretsSet: DoctorCheck = {
  id: "secrets",
  label: "Secrets set, no dev defaults",
  run({ env }) {
    if (env.NIGHTSHIFT_ENV === "dev") return { status: "ok", sentence: "Development generates its secrets once per checkout (in NIGHTSHIFT_DATA_DIR)." };
    const unset = (["NIGHTSHIFT_SECRET_KEY", "ARTIFACT_URL_SECRET", "CRM_WEBHOOK_SECRET"] as const).filter((name) => !env[name]);
    const generated = generatedSecretsIn(env);
    const problems = [
      ...unset.map((name) => `${name} is not set`),
      ...generated.map((name) => `${name} is a generated development value`),
      ...(env.CRM_TOKEN === SANDBOX_CRM_TOKEN ? ["CRM_TOKEN is the sandbox's token"] : []),
      ...(env.SANDBOX ? ["the sandbox is on"] : []),
    ];
    if (problems.length === 0) return { status: "ok", sentence: `Every secret of ${env.NIGHTSHIFT_ENV} is set explicitly and none is a dev default.` };
    const severity = env.NIGHTSHIFT_ENV === "prod" || unset.length > 0 ? "fail" : "warn";
    return { status: severity, sentence: `On ${env.NIGHTSHIFT_ENV}: ${problems.join("; ")}.`, fix: "Set each in the environment's env file (openssl rand -base64 32; the CRM's whsec_ secret and token), with SANDBOX=off." };
  },
};
