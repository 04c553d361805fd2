// Form field definitions with per-DOM-drift-version ids, names and labels, plus renderers.
// The server accepts a field under any version's name, so a form posted from a page rendered
// before a drift change still works; only the markup (ids, labels, test ids) changes.

import { attrIf, html, type SafeHtml } from "../html.js";
import type { Option } from "../domain.js";

export type Drift = 0 | 1;

export interface FieldNames {
  id: string;
  name: string;
  label: string;
}

export interface FieldDef {
  key: string;
  v0: FieldNames;
  v1: FieldNames;
}

export function driftOf(version: number): Drift {
  return version >= 1 ? 1 : 0;
}

export function names(def: FieldDef, drift: Drift): FieldNames {
  return drift === 1 ? def.v1 : def.v0;
}

/** Reads a field from a posted form under either version's name. */
export function readField(form: URLSearchParams | Map<string, string>, def: FieldDef): string {
  const v = form.get(def.v0.name) ?? form.get(def.v1.name);
  return (v ?? "").trim();
}

export function readCheckbox(form: URLSearchParams | Map<string, string>, def: FieldDef): boolean {
  const v = form.get(def.v0.name) ?? form.get(def.v1.name);
  return v !== null && v !== undefined && v !== "" && v !== "off" && v !== "false";
}

export type FieldErrors = Record<string, string>;

function errorLine(def: FieldDef, n: FieldNames, errors: FieldErrors): SafeHtml {
  const message = errors[def.key];
  return message
    ? html`<p class="field-error" id="${n.id}-error" data-testid="field-error-${def.key}" role="alert">${message}</p>`
    : html``;
}

interface InputOpts {
  type?: "text" | "email" | "tel" | "number" | "date";
  placeholder?: string;
  hint?: string;
  autocomplete?: string;
}

export function inputField(def: FieldDef, drift: Drift, value: string, errors: FieldErrors, opts: InputOpts = {}): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return html`<div class="field${invalid ? " has-error" : ""}">
  <label for="${n.id}">${n.label}</label>
  <input id="${n.id}" name="${n.name}" data-testid="${n.id}" type="${opts.type ?? "text"}" value="${value}"${opts.placeholder ? html` placeholder="${opts.placeholder}"` : ""}${attrIf(invalid, 'aria-invalid="true"')} autocomplete="${opts.autocomplete ?? "off"}">
  ${opts.hint ? html`<p class="hint">${opts.hint}</p>` : ""}
  ${errorLine(def, n, errors)}
</div>`;
}

export function textareaField(def: FieldDef, drift: Drift, value: string, errors: FieldErrors, hint?: string): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return html`<div class="field${invalid ? " has-error" : ""}">
  <label for="${n.id}">${n.label}</label>
  <textarea id="${n.id}" name="${n.name}" data-testid="${n.id}" rows="4"${attrIf(invalid, 'aria-invalid="true"')}>${value}</textarea>
  ${hint ? html`<p class="hint">${hint}</p>` : ""}
  ${errorLine(def, n, errors)}
</div>`;
}

export function selectField(def: FieldDef, drift: Drift, options: readonly Option[], value: string, errors: FieldErrors): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return html`<div class="field${invalid ? " has-error" : ""}">
  <label for="${n.id}">${n.label}</label>
  <select id="${n.id}" name="${n.name}" data-testid="${n.id}"${attrIf(invalid, 'aria-invalid="true"')}>
    <option value=""${attrIf(value === "", "selected")}>— Select —</option>
    ${options.map((o) => html`<option value="${o.value}"${attrIf(o.value === value, "selected")}>${o.label}</option>`)}
  </select>
  ${errorLine(def, n, errors)}
</div>`;
}

export function checkboxField(def: FieldDef, drift: Drift, checked: boolean, errors: FieldErrors): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return html`<div class="field checkbox${invalid ? " has-error" : ""}">
  <input id="${n.id}" name="${n.name}" data-testid="${n.id}" type="checkbox" value="yes"${attrIf(checked, "checked")}${attrIf(invalid, 'aria-invalid="true"')}>
  <label for="${n.id}">${n.label}</label>
  ${errorLine(def, n, errors)}
</div>`;
}

/** Top-of-form summary shown whenever there are field errors. */
export function errorSummary(errors: FieldErrors): SafeHtml {
  const messages = Object.values(errors);
  if (messages.length === 0) return html``;
  return html`<div class="alert alert-error" role="alert" data-testid="form-errors">
  <strong>Please correct the following:</strong>
  <ul>${messages.map((m) => html`<li>${m}</li>`)}</ul>
</div>`;
}

/** A portal-level message (e.g. a rejected submission), not tied to one field. */
export function portalMessage(message: string | null): SafeHtml {
  if (!message) return html``;
  return html`<div class="alert alert-error" role="alert" data-testid="portal-message">${message}</div>`;
}

export function field(key: string, v0: [string, string, string], v1: [string, string, string]): FieldDef {
  return {
    key,
    v0: { id: v0[0], name: v0[1], label: v0[2] },
    v1: { id: v1[0], name: v1[1], label: v1[2] },
  };
}

/** A button/element name pair (id + visible text) per drift version. */
export interface ControlDef {
  v0: { id: string; text: string };
  v1: { id: string; text: string };
}

export function control(v0: [string, string], v1: [string, string]): ControlDef {
  return { v0: { id: v0[0], text: v0[1] }, v1: { id: v1[0], text: v1[1] } };
}

export function ctl(def: ControlDef, drift: Drift): { id: string; text: string } {
  return drift === 1 ? def.v1 : def.v0;
}

/** Shared validators; each returns an error message or null. */
export const validate = {
  required(value: string, message: string): string | null {
    return value === "" ? message : null;
  },
  pattern(value: string, re: RegExp, message: string): string | null {
    return re.test(value) ? null : message;
  },
  oneOf(value: string, options: readonly Option[], message: string): string | null {
    return options.some((o) => o.value === value) ? null : message;
  },
  integer(value: string, min: number, max: number, message: string): string | null {
    if (!/^\d+$/.test(value)) return message;
    const n = Number(value);
    return n >= min && n <= max ? null : message;
  },
  pastDate(value: string, label: string, today: string): string | null {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      return `${label} must be a valid date (YYYY-MM-DD)`;
    }
    if (value > today) return `${label} cannot be in the future`;
    if (value < "2000-01-01") return `${label} must be on or after 2000-01-01`;
    return null;
  },
  email(value: string, message: string): string | null {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? null : message;
  },
  length(value: string, min: number, max: number, message: string): string | null {
    return value.length >= min && value.length <= max ? null : message;
  },
};

/** Collects the first error per field. */
export function collectErrors(checks: Record<string, (string | null)[]>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, results] of Object.entries(checks)) {
    const first = results.find((r) => r !== null);
    if (first) errors[key] = first;
  }
  return errors;
}
