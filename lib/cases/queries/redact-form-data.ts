/**
 * Masking for redaction-sensitive cases: contact details are reduced before they leave the
 * server, and phone numbers or e-mail addresses inside free text are blanked.
 */
const MASK = "•••";
const EMAIL = /[A-Z0-9._%+-]+@([A-Z0-9.-]+\.[A-Z]{2,})/gi;
const PHONE = /\+?\d[\d\s().-]{6,}\d/g;

function maskName(value: string): string {
  const initials = value
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part.charAt(0).toUpperCase()}.`);
  return initials.length > 0 ? initials.join(" ") : MASK;
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf("@");
  return at > 0 ? `${MASK}@${value.slice(at + 1)}` : MASK;
}

function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  return digits.length > 2 ? `${MASK} ${digits.slice(-2)}` : MASK;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** Blanks e-mail addresses and phone numbers (7+ digits, not a date) inside free text. */
function redactFreeText(text: string): string {
  return text
    .replace(EMAIL, `${MASK}@$1`)
    .replace(PHONE, (match) => (match.replace(/\D/g, "").length >= 7 && !ISO_DATE.test(match.trim()) ? MASK : match));
}

function maskContact(contact: unknown): unknown {
  if (typeof contact !== "object" || contact === null || Array.isArray(contact)) return typeof contact === "string" ? MASK : contact;
  return Object.fromEntries(
    Object.entries(contact as Record<string, unknown>).map(([key, value]) => {
      if (typeof value !== "string" || value === "") return [key, value];
      if (/mail/i.test(key)) return [key, maskEmail(value)];
      if (/phone|mobile|tel/i.test(key)) return [key, maskPhone(value)];
      if (/name/i.test(key)) return [key, maskName(value)];
      return [key, MASK];
    }),
  );
}

/** The form data as it may be shown: unchanged, or with contact details masked when sensitive. */
export function redactFormData(formData: Record<string, unknown>, sensitive: boolean): Record<string, unknown> {
  if (!sensitive) return formData;
  return Object.fromEntries(
    Object.entries(formData).map(([key, value]) => {
      if (/^(contact|owner|customer|driver)$/i.test(key)) return [key, maskContact(value)];
      if (typeof value === "string") return [key, redactFreeText(value)];
      return [key, value];
    }),
  );
}
