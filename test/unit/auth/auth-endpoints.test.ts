import { describe, expect, it } from "vitest";
import { authEndpointOf, isAllowedAuthEndpoint } from "@/lib/auth/auth-endpoints";

describe("the better-auth endpoints Nightshift answers", () => {
  it.each([
    ["POST", "/api/auth/sign-in/email"],
    ["POST", "/api/auth/sign-in/social"],
    ["POST", "/api/auth/sign-out"],
    ["GET", "/api/auth/callback/oidc"],
    ["POST", "/api/auth/callback/oidc"],
    ["GET", "/api/auth/get-session"],
    ["GET", "/api/auth/error"],
  ])("lets %s %s through (signing in and out)", (method, path) => {
    expect(isAllowedAuthEndpoint(method, path)).toBe(true);
  });

  it.each([
    ["POST", "/api/auth/sign-up/email"],
    ["POST", "/api/auth/update-user"],
    ["POST", "/api/auth/change-email"],
    ["POST", "/api/auth/change-password"],
    ["POST", "/api/auth/delete-user"],
    ["POST", "/api/auth/request-password-reset"],
    ["POST", "/api/auth/reset-password"],
    ["POST", "/api/auth/link-social"],
    ["POST", "/api/auth/revoke-sessions"],
    ["GET", "/api/auth/list-accounts"],
    ["GET", "/api/auth/delete-user/callback"],
    ["POST", "/api/auth/get-session"],
    ["DELETE", "/api/auth/sign-out"],
    ["POST", "/api/auth/callback/oidc/extra"],
    ["POST", "/api/authx/sign-in/email"],
  ])("refuses %s %s (changes to a person that no screen offers and no role check covers)", (method, path) => {
    expect(isAllowedAuthEndpoint(method, path)).toBe(false);
  });

  it("reads the endpoint below the base path, ignoring a trailing slash", () => {
    expect(authEndpointOf("/api/auth/sign-out/")).toBe("/sign-out");
    expect(authEndpointOf("/api/auth")).toBe("/");
    expect(authEndpointOf("/api/other")).toBeNull();
  });
});
