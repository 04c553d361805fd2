import type { CrmConnector } from "./connector";
import { RestCrmConnector } from "./rest-connector";

export type CrmConfig = { provider: "rest"; baseUrl: string; token: string };

/** The CRM connector for the configured provider (an exhaustive switch: add a provider here). */
export function createCrmConnector(config: CrmConfig): CrmConnector {
  switch (config.provider) {
    case "rest":
      return new RestCrmConnector({ baseUrl: config.baseUrl, token: config.token });
    default: {
      const unknown: never = config.provider;
      throw new Error(`Unknown CRM provider: ${String(unknown)}`);
    }
  }
}
