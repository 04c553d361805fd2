// A real OpenID Connect provider for tests: panva's oidc-provider (a certified implementation),
// in-process or as a child process (`node --import tsx test/support/oidc-provider.ts`), standing in
// for Okta / Entra ID / Keycloak. One confidential client (Nightshift), test accounts with a
// `groups` claim, a login page and a consent page a browser can fill, and a control endpoint so
// a test can change an account's groups between two sign-ins.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { DEFAULT_OIDC_ACCOUNTS, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_TEST_PASSWORD, type OidcAccount } from "./oidc-test-accounts";

export { DEFAULT_OIDC_ACCOUNTS, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_TEST_PASSWORD, type OidcAccount };

export interface OidcProviderOptions {
  port: number;
  /** Where the client may be sent back to, e.g. http://127.0.0.1:3203/api/auth/callback/oidc. */
  redirectUris: string[];
  host?: string;
  accounts?: readonly OidcAccount[];
}

export interface RunningOidcProvider {
  issuer: string;
  /** What a test would do at the provider's admin console: replace an account's groups. */
  setGroups(email: string, groups: string[]): void;
  accounts(): OidcAccount[];
  close(): Promise<void>;
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<RunningOidcProvider> {
  const host = options.host ?? "127.0.0.1";
  const issuer = `http://${host}:${options.port}`;
  const initial = (options.accounts ?? DEFAULT_OIDC_ACCOUNTS).map((account) => ({ ...account, groups: [...account.groups] }));
  const accounts = new Map(initial.map((account) => [account.email, { ...account, groups: [...account.groups] }]));
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" };

  const configuration: Configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    // Like Okta or Entra ID with a groups claim configured: email and groups are in the ID token (and the userinfo answer).
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        // Read at each token and userinfo request: a group change shows at the next sign-in.
        claims: () => ({ sub: id, email: account.email, email_verified: true, name: account.name, groups: [...account.groups] }),
      };
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, page("Error", `<p>${escapeHtml(String(error))}</p>`));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", issuer);
    const interaction = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    const control = /^\/control\/accounts\/([^/]+)\/groups$/.exec(url.pathname);
    if (control && req.method === "PUT") {
      const email = decodeURIComponent(control[1]!);
      const account = accounts.get(email);
      if (!account) return send(res, 404, JSON.stringify({ error: `No account ${email}` }), "application/json");
      const body = JSON.parse(await readBody(req)) as { groups?: unknown };
      if (!Array.isArray(body.groups) || !body.groups.every((g) => typeof g === "string")) return send(res, 400, JSON.stringify({ error: "groups must be a list of strings" }), "application/json");
      account.groups = body.groups;
      return send(res, 200, JSON.stringify(account), "application/json");
    }
    if (url.pathname === "/control/accounts" && req.method === "GET") return send(res, 200, JSON.stringify([...accounts.values()]), "application/json");
    if (url.pathname === "/control/reset" && req.method === "POST") {
      for (const account of initial) accounts.set(account.email, { ...account, groups: [...account.groups] });
      return send(res, 204, "");
    }
    if (interaction) return handleInteraction(req, res, interaction[2]);
    callback(req, res);
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, step: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET" && !step) {
      if (details.prompt.name === "login") return send(res, 200, loginPage(details.uid));
      return send(res, 200, consentPage(details.uid, typeof details.params.scope === "string" ? details.params.scope : ""));
    }
    if (req.method !== "POST") return send(res, 405, page("Not allowed", "<p>Use the form.</p>"));
    const form = new URLSearchParams(await readBody(req));
    if (step === "login") {
      const email = (form.get("email") ?? "").trim().toLowerCase();
      if (!accounts.has(email) || form.get("password") !== OIDC_TEST_PASSWORD) return send(res, 200, loginPage(details.uid, "Wrong email or password."));
      return provider.interactionFinished(req, res, { login: { accountId: email } }, { mergeWithLastSubmission: false });
    }
    if (step === "abort") return provider.interactionFinished(req, res, { error: "access_denied", error_description: "The person declined." }, { mergeWithLastSubmission: false });
    // Consent: grant what the client asked for.
    const { prompt, params, session } = details;
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant!.addResourceScope(indicator, scopes.join(" "));
    const grantId = await grant!.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  return {
    issuer,
    setGroups(email, groups) {
      const account = accounts.get(email);
      if (!account) throw new Error(`No account ${email}`);
      account.groups = [...groups];
    },
    accounts: () => [...accounts.values()].map((account) => ({ ...account, groups: [...account.groups] })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function loginPage(uid: string, error?: string) {
  return page(
    "Sign in to Acme",
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
    <form method="post" action="/interaction/${uid}/login">
      <label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username" required autofocus>
      <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit">Sign in to Acme</button>
    </form>`,
  );
}

function consentPage(uid: string, scope: string) {
  return page(
    "Allow Nightshift?",
    `<p>Nightshift asks for: ${escapeHtml(scope)}</p>
    <form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
    <form method="post" action="/interaction/${uid}/abort"><button type="submit">Deny</button></form>`,
  );
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function send(res: ServerResponse, status: number, body: string, type = "text/html; charset=utf-8") {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

// As a child process (playwright.config.ts webServer): OIDC_PROVIDER_PORT, OIDC_REDIRECT_URIS (comma-separated).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.OIDC_PROVIDER_PORT ?? 4192);
  const redirectUris = (process.env.OIDC_REDIRECT_URIS ?? "").split(",").filter(Boolean);
  if (redirectUris.length === 0) throw new Error("Set OIDC_REDIRECT_URIS to the app's callback URL(s).");
  const running = await startOidcProvider({ port, redirectUris });
  console.log(`test OpenID Connect provider at ${running.issuer}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
