import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashBuildInputs } from "@/lib/launcher/build-hash";
import { redactUrl } from "@/lib/log";

describe("build freshness", () => {
  it("changes the build hash when a source file changes, and only then", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "hash-"));
    mkdirSync(path.join(root, "app"));
    writeFileSync(path.join(root, "app", "page.tsx"), "one");
    const first = hashBuildInputs(root, ["app"]);
    expect(hashBuildInputs(root, ["app"])).toBe(first);
    writeFileSync(path.join(root, "app", "page.tsx"), "two");
    expect(hashBuildInputs(root, ["app"])).not.toBe(first);
  });
});

describe("log redaction", () => {
  it("hides the password of a database URL", () => {
    expect(redactUrl("postgres://app:s3cret@db.internal:5432/nightshift")).toBe("postgres://app:***@db.internal:5432/nightshift");
    expect(redactUrl("not a url")).toBe("[unparseable url]");
  });
});
