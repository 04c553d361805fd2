import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as AuthRoute from "@/app/api/auth/[...all]/route";
import { users } from "@/drizzle/schema";
import { signedInUser } from "@/lib/auth/session-actor";
import { getSharedDatabase } from "@/lib/db/shared";
import { getAuth } from "@/lib/server/web-auth";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { freePort } from "@/test/support/free-port";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_TEST_PASSWORD, startOidcProvider, type RunningOidcProvider } from "@/test/support/oidc-provider";

// Sign-in through a real OpenID Connect provider, without a browser: our better-auth handler on
// one side, panva's oidc-provider on the other, the redirects followed by hand. The role comes
// from the groups claim and is re-applied at every sign-in.
const APP = "http://127.0.0.1:3000";
let database: TestDatabase;
let provider: RunningOidcProvider;
let authRoute: typeof AuthRoute;

beforeAll(async () => {
  database = await createTestDatabase();
  provider = await startOidcProvider({ port: await freePort(), redirectUris: [`${APP}/api/auth/callback/oidc`] });
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PORT: "3000",
    LOG_LEVEL: "silent",
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    OIDC_SCOPES: "openid email profile groups",
    OIDC_ROLE_GROUPS: JSON.stringify({ "ns-admins": "admin", "ns-ops": "ops", "ns-viewers": "viewer" }),
  });
  authRoute = await import("@/app/api/auth/[...all]/route");
});
afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await provider?.close();
  await database?.destroy();
});

/** Cookies per origin, as a browser keeps them. */
function browser() {
  const jars = new Map<string, Map<string, string>>();
  const jarOf = (url: URL) => jars.get(url.origin) ?? jars.set(url.origin, new Map()).get(url.origin)!;
  async function go(href: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(href);
    const cookie = [...jarOf(url)].map(([k, v]) => `${k}=${v}`).join("; ");
    const headers = { ...init.headers, ...(cookie ? { cookie } : {}) };
    const request = new Request(url, { method: init.method ?? "GET", body: init.body, headers, redirect: "manual" });
    const response = url.origin === APP ? await (request.method === "POST" ? authRoute.POST(request) : authRoute.GET(request)) : await fetch(request);
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      if (/max-age=0/i.test(set)) jarOf(url).delete(name);
      else jarOf(url).set(name, pair!.slice(at + 1));
    }
    return response;
  }
  return { go, cookiesFor: (origin: string) => [...(jars.get(origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join("; ") };
}

const form = (fields: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

/** Presses "Sign in with SSO", signs in at the provider, consents, and lands back: the app's cookie header. */
async function ssoSignIn(email: string, b = browser()) {
  const start = await b.go(`${APP}/api/auth/sign-in/social`, { method: "POST", headers: { "content-type": "application/json", origin: APP, host: "127.0.0.1:3000" }, body: JSON.stringify({ provider: "oidc", callbackURL: "/", errorCallbackURL: "/sign-in" }) });
  expect(start.status, await start.clone().text()).toBe(200);
  let location = ((await start.json()) as { url: string }).url;
  for (let hops = 0; hops < 20; hops++) {
    const url = new URL(location, location.startsWith("/") ? APP : undefined);
    if (url.origin === APP && !url.pathname.startsWith("/api/auth/")) return { landed: url, cookie: b.cookiesFor(APP) };
    const response = await b.go(url.href);
    if (response.status >= 300 && response.status < 400) {
      location = new URL(response.headers.get("location")!, url).href;
      continue;
    }
    const html = await response.text();
    const login = /action="([^"]+\/login)"/.exec(html)?.[1];
    const confirm = /action="([^"]+\/confirm)"/.exec(html)?.[1];
    const next = login ? await b.go(`${provider.issuer}${login}`, form({ email, password: OIDC_TEST_PASSWORD })) : confirm ? await b.go(`${provider.issuer}${confirm}`, form({})) : null;
    if (!next) throw new Error(`stuck at ${url.href}: ${response.status} ${html.slice(0, 300)}`);
    location = new URL(next.headers.get("location")!, provider.issuer).href;
  }
  throw new Error("too many redirects");
}

const roleOf = async (email: string) => (await database.db.select({ role: users.role }).from(users).where(eq(users.email, email)))[0]?.role;

describe("SSO sign-in through a real OpenID Connect provider", () => {
  it("creates the person with the role their groups map to, and signs them in", async () => {
    const { landed, cookie } = await ssoSignIn("olga.ops@acme.test");
    expect(landed.pathname).toBe("/");
    expect(await roleOf("olga.ops@acme.test")).toBe("ops");
    expect(await signedInUser(getAuth(), new Headers({ cookie }))).toMatchObject({ email: "olga.ops@acme.test", name: "Olga Ops", role: "ops" });
  });

  it("re-applies the role at the next sign-in after a group change", async () => {
    await ssoSignIn("victor.viewer@acme.test");
    expect(await roleOf("victor.viewer@acme.test")).toBe("viewer");
    provider.setGroups("victor.viewer@acme.test", ["ns-admins"]);
    const { cookie } = await ssoSignIn("victor.viewer@acme.test");
    expect(await roleOf("victor.viewer@acme.test")).toBe("admin");
    expect((await signedInUser(getAuth(), new Headers({ cookie })))?.role).toBe("admin");
    provider.setGroups("victor.viewer@acme.test", ["everyone"]);
    await ssoSignIn("victor.viewer@acme.test");
    expect(await roleOf("victor.viewer@acme.test")).toBeNull();
  });

  it("signs in a person in no mapped group without a role (the no-access page's case)", async () => {
    const { cookie } = await ssoSignIn("nora.nobody@acme.test");
    expect(await signedInUser(getAuth(), new Headers({ cookie }))).toMatchObject({ email: "nora.nobody@acme.test", role: null });
  });
});
