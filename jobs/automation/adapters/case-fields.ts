// Pure readers of a case's form data for the adapters' mappings. Data that is missing or cannot be
// put into a portal's form becomes a `portal_rejected` AttemptError: a person has to fix the case.

import { AttemptError } from "@/lib/runs/errors";
import type { CaseForSubmission } from "@/lib/domain/types";

export type MappingCode = "missing_field" | "unmappable_field";

function mappingError(code: MappingCode, sentence: string): AttemptError {
  return new AttemptError("portal_rejected", code, sentence);
}

/** Reads a dotted path (`unit.id`) from the case's form data. */
function valueAt(formData: Record<string, unknown>, path: string): unknown {
  let current: unknown = formData;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Reads one case for one portal; every error names the portal and what is missing. */
export class CaseReader {
  constructor(
    private readonly c: CaseForSubmission,
    private readonly portal: string,
  ) {}

  missing(what: string): AttemptError {
    return mappingError("missing_field", `Cannot file on ${this.portal}: the case has no ${what}.`);
  }

  unmappable(sentence: string): AttemptError {
    return mappingError("unmappable_field", `Cannot file on ${this.portal}: ${sentence}`);
  }

  reference(): string {
    const reference = this.c.reference.trim();
    if (!reference) throw this.missing("case reference");
    return reference;
  }

  text(path: string, what: string): string {
    const value = valueAt(this.c.formData, path);
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value !== "string" || value.trim() === "") throw this.missing(what);
    return value.trim();
  }

  /** The portal's code for the case's value, from the codes it accepts. */
  code(value: string, accepted: readonly string[], what: string): string {
    if (!accepted.includes(value)) throw this.unmappable(`${what} "${value}" is not one the portal accepts (${accepted.join(", ")}).`);
    return value;
  }

  kind(accepted: readonly string[]): string {
    return this.code(this.c.kind, accepted, "the case kind");
  }

  /** A calendar date as YYYY-MM-DD (the UTC date of a timestamp). */
  date(path: string, what: string): string {
    const raw = this.text(path, what);
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
    if (match) {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const parsed = new Date(Date.UTC(year, month - 1, day));
      if (parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day) return raw;
    } else if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw))) {
      return new Date(raw).toISOString().slice(0, 10);
    }
    throw this.unmappable(`the ${what} "${raw}" is not a valid date.`);
  }

  /**
   * The usage reading as a whole number in the portal's unit. `conversions` maps each accepted
   * unit to the factor into the portal's unit; a bare number is taken as already in that unit.
   */
  usage(conversions: Record<string, number>, what: string): string {
    const raw = valueAt(this.c.formData, "usage");
    let value: unknown = raw;
    let factor = 1;
    if (raw !== null && typeof raw === "object") {
      value = (raw as Record<string, unknown>).value;
      const unit = (raw as Record<string, unknown>).unit;
      if (unit !== undefined) {
        const known = typeof unit === "string" ? conversions[unit.trim().toLowerCase()] : undefined;
        if (known === undefined) throw this.unmappable(`the ${what} is recorded in "${JSON.stringify(unit)}", which cannot be converted (expected ${Object.keys(conversions).join(" or ")}).`);
        factor = known;
      }
    }
    if (value === undefined || value === null || value === "") throw this.missing(what);
    const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
    if (!Number.isFinite(number)) throw this.unmappable(`the ${what} ${JSON.stringify(value)} is not a number.`);
    return String(Math.round(number * factor));
  }

  /** The customer/dealer declaration: we only attest what the case says is signed. */
  acknowledged(what: string): true {
    const value = valueAt(this.c.formData, "acknowledgement");
    if (value !== true) throw this.missing(`signed ${what} (acknowledgement is ${value === false ? "false" : "not set"})`);
    return true;
  }
}
