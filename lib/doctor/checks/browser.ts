import type { DoctorCheck } from "../types";

/** Chromium for the automation, or the remote browser when BROWSER_WS_ENDPOINT is set. */
export const browserAvailable: DoctorCheck = {
  id: "browser",
  label: "Browser for the portals",
  timeoutMs: 10_000,
  async run({ env, locateChromium, connectBrowser }) {
    if (env.BROWSER_WS_ENDPOINT) {
      const endpoint = new URL(env.BROWSER_WS_ENDPOINT);
      const where = `${endpoint.protocol}//${endpoint.host}`;
      try {
        const version = await connectBrowser(env.BROWSER_WS_ENDPOINT, 8_000);
        return { status: "ok", sentence: `The remote browser at ${where} accepted a connection (${version}).` };
      } catch (error) {
        const reason = error instanceof Error ? error.message.split("\n")[0]!.replace(env.BROWSER_WS_ENDPOINT, where) : String(error);
        return { status: "fail", sentence: `The remote browser at ${where} could not be reached: ${reason}`, fix: "Start the browser server, or unset BROWSER_WS_ENDPOINT to use a local Chromium." };
      }
    }
    try {
      return { status: "ok", sentence: `Chromium found at ${locateChromium()}.` };
    } catch (error) {
      return { status: "fail", sentence: "No Chromium found for the browser automation.", fix: error instanceof Error ? error.message.replace(/\n\s*/g, " ") : "Install chromium or set CHROMIUM_PATH." };
    }
  },
};
