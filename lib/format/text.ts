/**
 * A machine word as a person reads it: "warranty_claim" → "Warranty claim", "unitYear" → "Unit
 * year", "capture-confirmation" → "Capture confirmation". The one humaniser of the dashboard.
 */
export function humanize(value: string): string {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : value;
}
