import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChromiumNotFoundError, findChromium } from "@/jobs/automation/chromium";

function fakeBinary(dir: string, name: string) {
  const file = path.join(dir, name);
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, 0o755);
  return file;
}

describe("Chromium discovery", () => {
  it("uses CHROMIUM_PATH when it points at an executable", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chromium-"));
    const binary = fakeBinary(dir, "my-chrome");
    expect(findChromium({ explicitPath: binary, searchPath: "" })).toBe(binary);
  });

  it("rejects a CHROMIUM_PATH that does not exist instead of silently falling back", () => {
    expect(() => findChromium({ explicitPath: "/nowhere/chromium", searchPath: "/usr/bin" })).toThrow(ChromiumNotFoundError);
  });

  it("finds a system Chromium on the PATH, preferring chromium over chrome", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "chromium-"));
    fakeBinary(dir, "google-chrome");
    const chromium = fakeBinary(dir, "chromium");
    expect(findChromium({ searchPath: ["/nonexistent", dir].join(path.delimiter) })).toBe(chromium);
  });

  it("names every way to install a browser when none is found", () => {
    // Playwright's own download is also absent on this machine (it cannot download here).
    const error = (() => {
      try {
        findChromium({ searchPath: mkdtempSync(path.join(os.tmpdir(), "empty-")) });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect(error?.message).toMatch(/apt-get install -y chromium/);
    expect(error?.message).toMatch(/npx playwright install chromium/);
    expect(error?.message).toMatch(/CHROMIUM_PATH/);
  });
});
