// The test identity provider's client and people (test/support/oidc-provider.ts), in a module of
// their own so Playwright's config and specs can name them without loading oidc-provider.

export interface OidcAccount {
  email: string;
  name: string;
  groups: string[];
}

/** The password of every test account (the provider's login page checks it). */
export const OIDC_TEST_PASSWORD = "acme sso password";
export const OIDC_CLIENT_ID = "nightshift";
export const OIDC_CLIENT_SECRET = "nightshift-test-client-secret-0123456789";

/** How the e2e app maps Acme's groups to roles (OIDC_ROLE_GROUPS). */
export const OIDC_ROLE_GROUPS = { "ns-admins": "admin", "ns-ops": "ops", "ns-viewers": "viewer" } as const;

/** Acme's people: an ops person, a viewer, an admin, and someone in no Nightshift group. */
export const DEFAULT_OIDC_ACCOUNTS: readonly OidcAccount[] = [
  { email: "olga.ops@acme.test", name: "Olga Ops", groups: ["everyone", "ns-ops"] },
  { email: "victor.viewer@acme.test", name: "Victor Viewer", groups: ["everyone", "ns-viewers"] },
  { email: "alma.admin@acme.test", name: "Alma Admin", groups: ["everyone", "ns-admins"] },
  { email: "nora.nobody@acme.test", name: "Nora Nobody", groups: ["everyone", "marketing"] },
];
