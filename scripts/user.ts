// `npm run user -- add|role|disable|enable|list …`: manage who can sign in, from scripts and terminals.
//   npm run user -- add --email ana@example.com --name "Ana Ops" --role ops [--password …]   (no --password: one is generated and printed once)
//   npm run user -- role --email ana@example.com --role admin
//   npm run user -- disable --email ana@example.com      (signs them out everywhere)
//   npm run user -- enable --email ana@example.com
//   npm run user -- list
// Works beside a running `npm start` (same NIGHTSHIFT_DATA_DIR / PG_PORT) or on its own; DATABASE_URL wins.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createAuth } from "@/lib/auth/auth";
import { createLocalUser, findUserIdByEmail, listPeople, roleSchema, setUserDisabled, setUserRole } from "@/lib/auth/users";
import { loadDotEnv } from "@/lib/config/dotenv";
import { getEnv } from "@/lib/config/env";
import { openScriptDatabase } from "@/lib/db/script-database";
import { isAppError } from "@/lib/errors/app-error";
import { createLogger } from "@/lib/log";
import { resolveSecretKeys } from "@/lib/secrets/secret-key";
import { ZodError } from "zod";

const USAGE = `Usage:
  npm run user -- add --email E --name N --role viewer|ops|admin [--password P]
  npm run user -- role --email E --role viewer|ops|admin
  npm run user -- disable --email E
  npm run user -- enable --email E
  npm run user -- list`;

loadDotEnv();
const env = getEnv();
const log = createLogger({ level: env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL, format: env.LOG_FORMAT, name: "user" });
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, password: { type: "string" } },
});
const [command] = positionals;
const ACTOR = `cli:${process.env.USER ?? "script"}`;

class UsageError extends Error {}
/** Refuses with a readable message; thrown (not exit) so the database is always closed first. */
function fail(message: string): never {
  throw new UsageError(message);
}
function need(name: "email" | "name" | "role"): string {
  const value = values[name];
  if (!value) fail(`--${name} is required.\n${USAGE}`);
  return value;
}

if (!command || !["add", "role", "disable", "enable", "list"].includes(command)) {
  console.error(USAGE);
  process.exit(2);
}

const database = await openScriptDatabase(env, log);
try {
  const { db } = database;
  if (command === "list") {
    for (const p of await listPeople(db)) console.log(`${p.email}\t${p.name}\t${p.role ?? "no role"}${p.disabled ? "\tdisabled" : ""}\t${p.signIn.join("+") || "-"}`);
  } else if (command === "add") {
    const generated = values.password ? null : randomBytes(18).toString("base64url");
    const auth = createAuth({ db, env, keys: resolveSecretKeys(env), log });
    const person = await createLocalUser(db, auth, { email: need("email"), name: need("name"), role: roleSchema.parse(need("role")), password: values.password ?? generated! }, ACTOR);
    console.log(`Added ${person.email} as ${person.role}.`);
    if (generated) console.log(`Password (shown once; they can sign in with it now): ${generated}`);
  } else {
    const email = need("email");
    const id = await findUserIdByEmail(db, email);
    if (!id) fail(`No account for ${email}.`);
    if (command === "role") console.log(`${email} is now ${(await setUserRole(db, id, roleSchema.parse(need("role")), ACTOR)).role}.`);
    else {
      await setUserDisabled(db, id, command === "disable", ACTOR);
      console.log(command === "disable" ? `${email} is disabled and signed out everywhere.` : `${email} can sign in again.`);
    }
  }
} catch (error) {
  process.exitCode = 2;
  if (error instanceof UsageError || isAppError(error)) console.error(error.message);
  else if (error instanceof ZodError) console.error(error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
  else {
    process.exitCode = 1;
    console.error(error);
  }
} finally {
  await database.close();
}
