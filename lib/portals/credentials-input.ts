/**
 * What an admin enters for a portal's credentials and what anyone may read back about them: pure
 * (zod only), shared by the Portals page's dialog and PUT /api/portals/:oem/credentials.
 */
import { z } from "zod";

export const CREDENTIAL_SOURCES = ["stored", "environment", "missing"] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

/** 80 bits, the shortest secret authenticator apps accept (RFC 4226 recommends 160). */
const MIN_TOTP_SECRET_CHARS = 16;

/**
 * A TOTP secret as people paste it: base32 with or without spaces, or the whole `otpauth://` link
 * from the portal's QR code. Normalised to upper-case base32 without padding.
 */
export const totpSecretSchema = z
  .string("Paste the portal's TOTP secret (base32) or its otpauth:// link")
  .trim()
  .max(512, "At most 512 characters")
  .transform((text, ctx) => {
    let secret = text;
    if (/^otpauth:\/\//i.test(text)) {
      try {
        const url = new URL(text);
        if (url.host.toLowerCase() !== "totp") throw new Error("not totp");
        secret = url.searchParams.get("secret") ?? "";
      } catch {
        ctx.addIssue({ code: "custom", message: "That otpauth:// link is not a TOTP link with a secret" });
        return z.NEVER;
      }
    }
    const normalised = secret.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
    if (!/^[A-Z2-7]+$/.test(normalised)) {
      ctx.addIssue({ code: "custom", message: "A TOTP secret is base32: letters A–Z and digits 2–7 only" });
      return z.NEVER;
    }
    if (normalised.length < MIN_TOTP_SECRET_CHARS) {
      ctx.addIssue({ code: "custom", message: `A TOTP secret has at least ${MIN_TOTP_SECRET_CHARS} characters` });
      return z.NEVER;
    }
    return normalised;
  });

/** What an admin enters: one schema for the dialog and PUT /api/portals/:oem/credentials. */
export const portalCredentialsInputSchema = z.strictObject({
  username: z.string("Enter the portal username").trim().min(1, "Enter the portal username").max(200, "At most 200 characters"),
  // Not trimmed: a password is exactly what was typed.
  password: z.string("Enter the portal password").min(1, "Enter the portal password").max(500, "At most 500 characters"),
  // Empty or null: no second factor.
  totpSecret: z.preprocess((value) => (value === "" || value === null ? undefined : value), totpSecretSchema.optional()),
});
export type PortalCredentialsInput = z.input<typeof portalCredentialsInputSchema>;
export type ParsedPortalCredentials = z.output<typeof portalCredentialsInputSchema>;

/** What anyone may know about a portal's credentials: never a secret. */
export interface PortalCredentialStatus {
  source: CredentialSource;
  /** Stored credentials only: when and by whom (ISO time; null otherwise). */
  setAt: string | null;
  setBy: string | null;
  /** Whether the credentials in use carry a TOTP secret. */
  hasTotp: boolean;
}

