// `npm run doctor`: checks this environment for real (database, CRM, browser, secrets, SSO, clock).
//   npm run doctor                         the environment of this shell (+ .env), as a table
//   npm run doctor -- --json               the same as JSON
//   npm run doctor -- --file .env.prod     check the environment of an env file (--env-file works too while
//                                          the file exists: Node 20 itself also reads an --env-file argument
//                                          placed after the script, and exits 9 when the file is missing)
//   npm run doctor -- --compare stage prod the parity diff of .env.stage and .env.prod
//        [--env-file-a FILE] [--env-file-b FILE] to read the two sides from other files
// Exit code: 0 all good (warnings allowed), 1 a check failed or parity is broken, 2 bad usage/config.
// Never prints a secret: secrets are compared as keyed hashes, with a random key per run.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, parseEnv as parseEnvFile } from "node:util";
import { chromium } from "playwright-core";
import { findChromium } from "@/jobs/automation/chromium";
import { createCrontab } from "@/jobs/crontab";
import { loadDotEnv } from "@/lib/config/dotenv";
import { EnvError, parseEnv } from "@/lib/config/env";
import { connectDatabase, type DatabaseHandle } from "@/lib/db/client";
import { DOCTOR_CHECKS } from "@/lib/doctor/checks";
import { createDoctorContext } from "@/lib/doctor/context";
import { compareEnvironmentFiles, CompareInputError } from "@/lib/doctor/environment-facts";
import { formatDoctorReport, formatViolations } from "@/lib/doctor/format-report";
import { runDoctor } from "@/lib/doctor/run-doctor";
import { isAlive } from "@/lib/process/processes";

const USAGE = `Usage:
  npm run doctor [-- --json] [--file FILE]
  npm run doctor -- --compare stage prod [--env-file-a FILE] [--env-file-b FILE] [--json]`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    allowPositionals: true,
    options: { json: { type: "boolean" }, compare: { type: "boolean" }, file: { type: "string" }, "env-file": { type: "string" }, "env-file-a": { type: "string" }, "env-file-b": { type: "string" }, help: { type: "boolean" } },
  });
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}

function readEnvFile(file: string): Record<string, string | undefined> {
  if (!existsSync(file)) throw new CompareInputError(`${file} does not exist.`);
  return parseEnvFile(readFileSync(file, "utf8"));
}

process.exitCode = args.values.compare ? await compare() : await checkOne();

async function compare(): Promise<number> {
  const [nameA = "stage", nameB = "prod", ...extra] = args.positionals;
  if (extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const fileA = args.values["env-file-a"] ?? `.env.${nameA}`;
  const fileB = args.values["env-file-b"] ?? `.env.${nameB}`;
  try {
    const result = await compareEnvironmentFiles(
      { record: readEnvFile(fileA), source: fileA },
      { record: readEnvFile(fileB), source: fileB },
      { crontab: createCrontab(), hashKey: randomBytes(16).toString("hex") },
    );
    if (args.values.json) console.log(JSON.stringify({ a: { file: fileA, ...result.a }, b: { file: fileB, ...result.b }, ok: result.violations.length === 0, violations: result.violations, notes: result.notes }, null, 2));
    else console.log(formatViolations({ a: `${nameA} (${fileA})`, b: `${nameB} (${fileB})`, violations: result.violations, notes: result.notes }));
    return result.violations.length === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof CompareInputError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

async function checkOne(): Promise<number> {
  let record: Record<string, string | undefined>;
  const envFile = args.values.file ?? args.values["env-file"];
  if (envFile) {
    try {
      record = { PATH: process.env.PATH, ...readEnvFile(envFile) };
      // The AWS SDK takes credentials from the standard chain (process.env first): the file's AWS_* count.
      for (const [name, value] of Object.entries(record)) if (name.startsWith("AWS_") && value !== undefined) process.env[name] = value;
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
  } else {
    loadDotEnv();
    record = process.env;
  }
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv(record);
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : (error as Error).message);
    return 2;
  }
  const target = databaseTarget(env);
  const handle: DatabaseHandle | null = target ? connectDatabase(target.url, { max: 2, name: "nightshift-doctor" }) : null;
  try {
    const context = createDoctorContext({
      env,
      db: handle?.db ?? null,
      databaseSource: target?.source ?? "none",
      locateChromium: () => findChromium({ explicitPath: env.CHROMIUM_PATH, searchPath: env.PATH }),
      connectBrowser: async (wsEndpoint, timeoutMs) => {
        const browser = await chromium.connect(wsEndpoint, { timeout: timeoutMs });
        try {
          return `Chromium ${browser.version()}`;
        } finally {
          await browser.close();
        }
      },
    });
    const report = await runDoctor(DOCTOR_CHECKS, context);
    console.log(args.values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report, Math.min(process.stdout.columns || 110, 140)));
    return report.ok ? 0 : 1;
  } finally {
    await handle?.close();
  }
}

/** DATABASE_URL, else the embedded PostgreSQL of a running `npm start` (the doctor never starts or migrates one). */
function databaseTarget(env: ReturnType<typeof parseEnv>): { url: string; source: string } | null {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    return { url: env.DATABASE_URL, source: `DATABASE_URL, ${url.hostname}:${url.port || 5432}${url.pathname}` };
  }
  const launcher = path.join(env.NIGHTSHIFT_DATA_DIR, "run", "launcher.json");
  try {
    const { pid } = JSON.parse(readFileSync(launcher, "utf8")) as { pid?: number };
    if (typeof pid === "number" && isAlive(pid)) return { url: `postgres://postgres@127.0.0.1:${env.PG_PORT}/nightshift`, source: `the embedded PostgreSQL of npm start, port ${env.PG_PORT}` };
  } catch {
    // no launcher running
  }
  return null;
}
