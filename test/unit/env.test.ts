import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/config/env";

describe("environment", () => {
  it("applies the documented defaults to an empty environment", () => {
    expect(parseEnv({})).toMatchObject({ NIGHTSHIFT_ENV: "dev", PORT: 3000, PG_PORT: 54320, SANDBOX: true, WORKER_CONCURRENCY: 2 });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset and parses on/off switches", () => {
    expect(parseEnv({ DATABASE_URL: "", SANDBOX: "off", PORT: "" })).toMatchObject({ DATABASE_URL: undefined, SANDBOX: false, PORT: 3000 });
  });

  it("lists every invalid variable at once, readably", () => {
    let error: unknown;
    try {
      parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", NIGHTSHIFT_ENV: "qa" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const issues = (error as EnvError).issues.map((i) => i.split(":")[0]);
    expect(issues.sort()).toEqual(["DATABASE_URL", "NIGHTSHIFT_ENV", "PORT"]);
    expect((error as Error).message).toContain(".env.example");
  });

  it("refuses the sandbox in production", () => {
    expect(() => parseEnv({ NIGHTSHIFT_ENV: "prod" })).toThrow(/SANDBOX: must be off/);
    expect(parseEnv({ NIGHTSHIFT_ENV: "prod", SANDBOX: "off" }).SANDBOX).toBe(false);
  });
});
