import { createConnection } from "node:net";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { createArtifactStore } from "../artifacts/create-artifact-store";
import type { ArtifactStore } from "../artifacts/store";
import type { Env } from "../config/env";
import { resolveIntegrations, type Integrations } from "../config/integrations";
import { createCrmConnector } from "../crm";
import type { CrmConnector } from "../crm/connector";
import type { Database } from "../db/client";
import type { DoctorContext } from "./types";

export interface DoctorContextParams {
  env: Env;
  db: Database | null;
  databaseSource: string;
  /** The worker's discovery (jobs/automation/chromium.ts) from the CLI; the web uses `locateSystemChromium`. */
  locateChromium?: () => string;
  /** playwright-core's connect from the CLI; the web checks the endpoint's port answers. */
  connectBrowser?: (wsEndpoint: string, timeoutMs: number) => Promise<string>;
  /** Already resolved integrations (the web app's), else resolved from `env` on first use. */
  integrations?: () => Integrations;
  now?: () => Date;
}

/** The collaborators of a doctor run, each made on first use so one broken piece fails one check. */
export function createDoctorContext(params: DoctorContextParams): DoctorContext {
  let integrations: Integrations | undefined;
  let crm: CrmConnector | undefined;
  let store: ArtifactStore | undefined;
  const resolve = params.integrations ?? (() => resolveIntegrations(params.env));
  const getIntegrations = () => (integrations ??= resolve());
  return {
    env: params.env,
    db: params.db,
    databaseSource: params.databaseSource,
    integrations: getIntegrations,
    crm: () => (crm ??= createCrmConnector(getIntegrations().crm)),
    artifactStore: () => (store ??= createArtifactStore(getIntegrations())),
    locateChromium: params.locateChromium ?? (() => locateSystemChromium(params.env)),
    connectBrowser: params.connectBrowser ?? probeBrowserPort,
    fetch: globalThis.fetch.bind(globalThis),
    now: params.now ?? (() => new Date()),
  };
}

const SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"];

/**
 * A read-only look for Chromium the way the worker looks (CHROMIUM_PATH, else the PATH), for the
 * web process, which must not load Playwright. The CLI uses the worker's own discovery.
 */
export function locateSystemChromium(env: Pick<Env, "CHROMIUM_PATH" | "PATH">): string {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.CHROMIUM_PATH) {
    if (executable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, but no executable is there.`);
  }
  for (const dir of env.PATH.split(path.delimiter).filter(Boolean)) {
    for (const name of SYSTEM_NAMES) if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error("No Chromium on the PATH: apt-get install -y chromium, or set CHROMIUM_PATH (npm run doctor also finds Playwright's own build).");
}

/** The web's remote-browser check: the endpoint's host accepts a TCP connection. */
function probeBrowserPort(wsEndpoint: string, timeoutMs: number): Promise<string> {
  const url = new URL(wsEndpoint);
  const port = Number(url.port || (url.protocol === "wss:" ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: url.hostname, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve("port open; npm run doctor connects for real");
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error("no answer in time"));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => reject(new Error(error.code === "ECONNREFUSED" ? "connection refused" : (error.code ?? "connection failed"))));
  });
}
