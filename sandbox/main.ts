// CLI entry: `tsx sandbox/main.ts [--port N] [--data-file F] [--seed|--no-seed]`.
// The only sandbox module that reads process.env.

import { parseArgs } from "node:util";
import pino from "pino";
import { z } from "zod";
import { describeZodError, faultsPatchSchema } from "./faults.js";
import { startSandbox } from "./server.js";

const booleanText = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(4010),
  SANDBOX_HOST: z.string().min(1).default("127.0.0.1"),
  SANDBOX_DATA_FILE: z.string().min(1).optional(),
  SANDBOX_SEED: booleanText.default(true),
  NIGHTSHIFT_WEBHOOK_URL: z.url().optional(),
  CRM_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must be a Standard Webhooks secret (whsec_…)").optional(),
  CRM_TOKEN: z.string().min(8).optional(),
  SANDBOX_FAULTS: z.string().optional(),
  SANDBOX_PORTAL_CREDENTIALS: z.string().optional(),
  SANDBOX_PORTAL_TOTP: z.string().optional(),
});

const totpSchema = z.partialRecord(z.enum(["arden", "borealis", "corvid"]), z.string().regex(/^[A-Z2-7]{16,}$/, "a base32 secret (A–Z, 2–7) of at least 16 characters"));

const credentialsSchema = z.partialRecord(
  z.enum(["arden", "borealis", "corvid"]),
  z.strictObject({ username: z.string().min(1).optional(), password: z.string().min(1).optional() }),
);

function parseJsonEnv<T>(name: string, text: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${name}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

async function main(): Promise<void> {
  const logger = pino({ name: "sandbox" });
  const { values: flags } = parseArgs({
    options: {
      port: { type: "string" },
      "data-file": { type: "string" },
      seed: { type: "boolean" },
      "no-seed": { type: "boolean" },
      "webhook-url": { type: "string" },
    },
  });
  const envResult = envSchema.safeParse({ ...process.env, ...(flags.port !== undefined ? { SANDBOX_PORT: flags.port } : {}) });
  if (!envResult.success) throw new Error(`Invalid sandbox configuration: ${describeZodError(envResult.error)}`);
  const env = envResult.data;
  const webhookUrl = flags["webhook-url"] ?? env.NIGHTSHIFT_WEBHOOK_URL;
  if (webhookUrl && !env.CRM_WEBHOOK_SECRET) throw new Error("CRM_WEBHOOK_SECRET is required when a webhook URL is set");

  const sandbox = await startSandbox({
    port: env.SANDBOX_PORT,
    host: env.SANDBOX_HOST,
    dataFile: flags["data-file"] ?? env.SANDBOX_DATA_FILE ?? null,
    seed: flags["no-seed"] ? false : (flags.seed ?? env.SANDBOX_SEED),
    webhookUrl: webhookUrl ?? null,
    webhookSecret: env.CRM_WEBHOOK_SECRET ?? null,
    ...(env.CRM_TOKEN ? { crmToken: env.CRM_TOKEN } : {}),
    faults: parseJsonEnv("SANDBOX_FAULTS", env.SANDBOX_FAULTS, faultsPatchSchema) ?? {},
    portalCredentials: parseJsonEnv("SANDBOX_PORTAL_CREDENTIALS", env.SANDBOX_PORTAL_CREDENTIALS, credentialsSchema) ?? {},
    portalTotp: parseJsonEnv("SANDBOX_PORTAL_TOTP", env.SANDBOX_PORTAL_TOTP, totpSchema) ?? {},
    logger,
  });
  logger.info(
    {
      url: sandbox.url,
      crm: `${sandbox.url}/crm/api`,
      portals: ["arden", "borealis", "corvid"].map((oem) => `${sandbox.url}/portals/${oem}/`),
      webhookUrl: webhookUrl ?? null,
      cases: sandbox.state.cases.size,
    },
    `sandbox listening on ${sandbox.url}`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "sandbox shutting down");
    sandbox
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: String(error) }, "sandbox shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  // Started by `npm start`: leave when the launcher is gone (a SIGKILLed launcher cannot stop us).
  if (process.env.NIGHTSHIFT_SUPERVISED === "on") {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop("parent process gone");
    }, 500).unref();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
