import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export class ChromiumNotFoundError extends Error {
  override name = "ChromiumNotFoundError";
}

const SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"];

export interface FindChromiumOptions {
  /** `CHROMIUM_PATH`: used as is when given (and must exist). */
  explicitPath?: string;
  /** The PATH to search (defaults to this process's). */
  searchPath?: string;
}

/**
 * Finds a Chromium for Playwright: the explicit path, else a system Chromium/Chrome on the PATH
 * (`/usr/bin/chromium` on Debian), else Playwright's own downloaded browser; otherwise throws an
 * error that names every way to install one.
 */
export function findChromium(options: FindChromiumOptions): string {
  if (options.explicitPath) {
    if (!isExecutable(options.explicitPath)) {
      throw new ChromiumNotFoundError(`CHROMIUM_PATH is set to ${options.explicitPath}, but no executable is there.`);
    }
    return options.explicitPath;
  }
  for (const dir of (options.searchPath ?? "").split(path.delimiter).filter(Boolean)) {
    for (const name of SYSTEM_NAMES) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  const bundled = playwrightBundledChromium();
  if (bundled) return bundled;
  throw new ChromiumNotFoundError(
    [
      "No Chromium found for the browser automation. Install one of:",
      "  - Debian/Ubuntu: apt-get install -y chromium   (then it is found on the PATH)",
      "  - Playwright's own build: npx playwright install chromium",
      "  - or point CHROMIUM_PATH at a Chromium or Chrome binary.",
    ].join("\n"),
  );
}

function playwrightBundledChromium(): string | undefined {
  try {
    const candidate = chromium.executablePath();
    return candidate && existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return !file.endsWith("/");
  } catch {
    return false;
  }
}
