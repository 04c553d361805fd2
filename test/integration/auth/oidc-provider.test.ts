import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/test/support/free-port";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_TEST_PASSWORD, startOidcProvider, type RunningOidcProvider } from "@/test/support/oidc-provider";

// The test identity provider the e2e sign-in runs against: a real oidc-provider, driven here
// over HTTP the way a browser and a relying party would (authorization code + PKCE).
const REDIRECT = "http://127.0.0.1:3999/api/auth/callback/oidc";
let provider: RunningOidcProvider;

beforeAll(async () => {
  provider = await startOidcProvider({ port: await freePort(), redirectUris: [REDIRECT] });
});
afterAll(async () => {
  await provider?.close();
});

/** A browser in miniature: follows redirects by hand and keeps the provider's cookies. */
function browser() {
  const jar = new Map<string, string>();
  async function go(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!, value.join("="));
    }
    return response;
  }
  /** Follows redirects until one leaves the provider (the callback) or a page answers. */
  async function follow(response: Response): Promise<Response | URL> {
    while (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get("location")!, provider.issuer);
      if (next.origin !== provider.issuer) return next;
      response = await go(next.href);
    }
    return response;
  }
  return { go, follow };
}

async function signIn(email: string, password = OIDC_TEST_PASSWORD) {
  const { go, follow } = browser();
  const verifier = randomBytes(32).toString("base64url");
  const nonce = randomBytes(16).toString("hex");
  const authorize = new URL(`${provider.issuer}/auth`);
  for (const [k, v] of Object.entries({ client_id: OIDC_CLIENT_ID, redirect_uri: REDIRECT, response_type: "code", scope: "openid email profile groups", state: "s1", nonce, code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" }))
    authorize.searchParams.set(k, v);
  const loginPage = await follow(await go(authorize.href));
  if (loginPage instanceof URL) throw new Error("no login page");
  const loginHtml = await loginPage.text();
  expect(loginHtml).toContain('<label for="email">Email</label>');
  const loginAction = /action="([^"]+\/login)"/.exec(loginHtml)![1]!;
  const form = (fields: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
  const afterLogin = await follow(await go(`${provider.issuer}${loginAction}`, form({ email, password })));
  if (afterLogin instanceof URL) return { callback: afterLogin, verifier, nonce };
  const consentHtml = await afterLogin.text();
  const confirm = /action="([^"]+\/confirm)"/.exec(consentHtml)?.[1];
  if (!confirm) return { page: consentHtml, verifier, nonce };
  const callback = await follow(await go(`${provider.issuer}${confirm}`, form({})));
  if (!(callback instanceof URL)) throw new Error(`no callback: ${await callback.text()}`);
  return { callback, verifier, nonce };
}

async function tokensFor(email: string) {
  const { callback, verifier, nonce } = await signIn(email);
  expect(callback?.origin + callback!.pathname).toBe(REDIRECT);
  const answer = await fetch(`${provider.issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: callback!.searchParams.get("code")!, redirect_uri: REDIRECT, code_verifier: verifier, client_id: OIDC_CLIENT_ID, client_secret: OIDC_CLIENT_SECRET }).toString(),
  });
  expect(answer.status).toBe(200);
  const tokens = (await answer.json()) as { id_token: string; access_token: string };
  const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(`${provider.issuer}/jwks`)), { issuer: provider.issuer, audience: OIDC_CLIENT_ID });
  expect(payload.nonce).toBe(nonce);
  const userinfo = (await (await fetch(`${provider.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
  return { idToken: payload, userinfo };
}

describe("the test OpenID Connect provider", () => {
  it("answers discovery with its endpoints, keys and the groups scope", async () => {
    const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: provider.issuer, authorization_endpoint: `${provider.issuer}/auth`, token_endpoint: `${provider.issuer}/token`, jwks_uri: `${provider.issuer}/jwks` });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups"]));
    expect(discovery.id_token_signing_alg_values_supported).toContain("RS256");
  });

  it("signs a person in through its login and consent pages, and the signed ID token and userinfo carry their groups", async () => {
    const { idToken, userinfo } = await tokensFor("olga.ops@acme.test");
    expect(idToken).toMatchObject({ sub: "olga.ops@acme.test", email: "olga.ops@acme.test", groups: ["everyone", "ns-ops"] });
    expect(userinfo).toMatchObject({ sub: "olga.ops@acme.test", groups: ["everyone", "ns-ops"] });
  });

  it("refuses a wrong password on its login page", async () => {
    const result = await signIn("olga.ops@acme.test", "not the password");
    expect(result.page ?? "").toContain("Wrong email or password.");
  });

  it("changes an account's groups through its control endpoint, and the next token says so", async () => {
    const changed = await fetch(`${provider.issuer}/control/accounts/${encodeURIComponent("victor.viewer@acme.test")}/groups`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ groups: ["ns-ops"] }) });
    expect(changed.status).toBe(200);
    expect((await tokensFor("victor.viewer@acme.test")).idToken.groups).toEqual(["ns-ops"]);
    expect((await fetch(`${provider.issuer}/control/reset`, { method: "POST" })).status).toBe(204);
    expect((await tokensFor("victor.viewer@acme.test")).idToken.groups).toEqual(["everyone", "ns-viewers"]);
  });
});
