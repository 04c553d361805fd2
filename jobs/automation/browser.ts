import { chromium, type Browser, type BrowserContext } from "playwright-core";
import type { Logger } from "@/lib/log";

export interface BrowserPoolOptions {
  executablePath: string;
  log: Logger;
  headless?: boolean;
}

/**
 * One shared Chromium per worker process; a fresh context per attempt. Relaunches after a crash
 * or disconnect. Contexts are always closed by `withContext`, whatever happens inside.
 */
export class SharedBrowser {
  private browser: Promise<Browser> | undefined;
  private closed = false;

  constructor(private readonly options: BrowserPoolOptions) {}

  private launch(): Promise<Browser> {
    const launching = chromium
      .launch({
        executablePath: this.options.executablePath,
        headless: this.options.headless ?? true,
        timeout: 30_000,
        // We drain on SIGTERM ourselves (attempts finish or are recorded as interrupted, then the
        // browser closes); Playwright's own handlers would kill Chromium under the running attempts.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      })
      .then((browser) => {
        browser.on("disconnected", () => {
          if (this.browser === launching) this.browser = undefined;
          if (!this.closed) this.options.log.warn("browser disconnected; the next attempt relaunches it");
        });
        return browser;
      });
    launching.catch(() => {
      if (this.browser === launching) this.browser = undefined;
    });
    return launching;
  }

  async get(): Promise<Browser> {
    if (this.closed) throw new Error("browser is shutting down");
    this.browser ??= this.launch();
    const browser = await this.browser;
    if (!browser.isConnected()) {
      this.browser = this.launch();
      return this.browser;
    }
    return browser;
  }

  async withContext<T>(fn: (context: BrowserContext) => Promise<T>): Promise<T> {
    const browser = await this.get();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", timezoneId: "UTC", acceptDownloads: false });
    try {
      return await fn(context);
    } finally {
      await context.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.browser;
    this.browser = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close().catch(() => {});
  }
}
