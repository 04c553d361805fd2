/**
 * POSTs to Nightshift's sign-in endpoints. better-auth answers errors as `{ code, message }`, our
 * own routes as `{ error: { code, message, fields } }`: both become one readable sentence.
 */
export async function postAuth<T>(url: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; message: string; fields: Record<string, string[]> }> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, message: "Nightshift could not be reached: check the connection and try again.", fields: {} };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data: json as T };
  return { ok: false, ...errorOf(json, response.status) };
}

function errorOf(json: unknown, status: number): { message: string; fields: Record<string, string[]> } {
  const record = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  const nested = (typeof record.error === "object" && record.error !== null ? record.error : record) as Record<string, unknown>;
  const fields = (typeof nested.fields === "object" && nested.fields !== null ? nested.fields : {}) as Record<string, string[]>;
  const code = typeof nested.code === "string" ? nested.code : "";
  if (code === "INVALID_EMAIL_OR_PASSWORD") return { message: "That email and password do not match an account.", fields };
  if (typeof nested.message === "string" && nested.message) return { message: nested.message, fields };
  if (status === 429) return { message: "Too many attempts: wait a minute and try again.", fields };
  return { message: "Signing in failed; please try again.", fields };
}

/** Messages for the `?error=` codes better-auth sends back after an SSO round trip. */
export function ssoErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  const known: Record<string, string> = {
    signup_disabled: "Your identity provider account is not allowed into Nightshift.",
    account_not_linked: "An account with that email exists but is not linked to single sign-on. Ask an admin.",
    state_mismatch: "The sign-in took too long or was opened in another tab. Try again.",
    please_restart_the_process: "The sign-in took too long or was opened in another tab. Try again.",
    invalid_code: "The identity provider's answer could not be verified. Try again.",
    unable_to_get_user_info: "The identity provider did not say who you are (no email). Ask your IdP admin.",
    access_denied: "Sign-in was cancelled at the identity provider.",
  };
  return known[code.toLowerCase()] ?? `Single sign-on failed (${code.replace(/[^\w-]/g, "").slice(0, 60)}). Try again, or ask an admin.`;
}

/** A text field of a submitted form ("" when absent or a file). */
export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}
