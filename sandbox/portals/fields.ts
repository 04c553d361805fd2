// Form field definitions with per-DOM-drift-version ids, names and labels, plus renderers.
// At drift 0 and 1 the server accepts a field under any version's name, so a form posted from a
// page rendered before a drift change still works; only the markup (ids, labels, test ids)
// changes. Drift 2 is a real redesign: a request served at drift 2 reads only the drift-2 names
// (an old form posted to it misses every field and is refused with the usual field errors).

import { attrIf, html, type SafeHtml } from "../html.js";
import type { Option } from "../domain.js";

/** The DOM drift versions the sandbox renders (the `domDriftVersion` knob accepts exactly these). */
export type Drift = 0 | 1 | 2;

export interface FieldNames {
  id: string;
  name: string;
  label: string;
}

export interface FieldDef {
  key: string;
  v0: FieldNames;
  v1: FieldNames;
  v2: FieldNames;
}

export function driftOf(version: number): Drift {
  return version >= 2 ? 2 : version >= 1 ? 1 : 0;
}

export function names(def: FieldDef, drift: Drift): FieldNames {
  return drift === 2 ? def.v2 : drift === 1 ? def.v1 : def.v0;
}

/** The `name`s a request served at this drift reads: drift 2 only its own, drift 0/1 any version's. */
export function acceptedNames(def: FieldDef, drift: Drift): string[] {
  return drift === 2 ? [def.v2.name] : [def.v0.name, def.v1.name, def.v2.name];
}

type FormLike = URLSearchParams | Map<string, string>;

/** The posted value (untrimmed) under the first name the request's drift accepts, or null. */
export function readRawField(form: FormLike, def: FieldDef, drift: Drift): string | null {
  for (const name of acceptedNames(def, drift)) {
    const v = form.get(name);
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** Reads a field from a posted form under the names the request's drift accepts. */
export function readField(form: FormLike, def: FieldDef, drift: Drift): string {
  return (readRawField(form, def, drift) ?? "").trim();
}

export function readCheckbox(form: FormLike, def: FieldDef, drift: Drift): boolean {
  const v = readRawField(form, def, drift);
  return v !== null && v !== "" && v !== "off" && v !== "false";
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

/**
 * The wrapper around one field. Drift 2 (the redesign) nests label and control in their own
 * divs, as a component library would; the label stays associated with its control (`for`/`id`).
 */
function fieldShell(drift: Drift, n: FieldNames, invalid: boolean, extraClass: string, label: SafeHtml, control: SafeHtml, after: SafeHtml): SafeHtml {
  if (drift !== 2) {
    return html`<div class="field${extraClass}${invalid ? " has-error" : ""}">
  ${label}
  ${control}
  ${after}
</div>`;
  }
  return html`<div class="form-row${extraClass}${invalid ? " form-row--invalid" : ""}">
  <div class="form-row__label">${label}</div>
  <div class="form-row__control">${control}</div>
  ${after}
</div>`;
}

export function inputField(def: FieldDef, drift: Drift, value: string, errors: FieldErrors, opts: InputOpts = {}): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return fieldShell(
    drift,
    n,
    invalid,
    "",
    html`<label for="${n.id}">${n.label}</label>`,
    html`<input id="${n.id}" name="${n.name}" data-testid="${n.id}" type="${opts.type ?? "text"}" value="${value}"${opts.placeholder ? html` placeholder="${opts.placeholder}"` : ""}${attrIf(invalid, 'aria-invalid="true"')} autocomplete="${opts.autocomplete ?? "off"}">`,
    html`${opts.hint ? html`<p class="hint">${opts.hint}</p>` : ""}
  ${errorLine(def, n, errors)}`,
  );
}

export function textareaField(def: FieldDef, drift: Drift, value: string, errors: FieldErrors, hint?: string): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return fieldShell(
    drift,
    n,
    invalid,
    "",
    html`<label for="${n.id}">${n.label}</label>`,
    html`<textarea id="${n.id}" name="${n.name}" data-testid="${n.id}" rows="4"${attrIf(invalid, 'aria-invalid="true"')}>${value}</textarea>`,
    html`${hint ? html`<p class="hint">${hint}</p>` : ""}
  ${errorLine(def, n, errors)}`,
  );
}

export function selectField(def: FieldDef, drift: Drift, options: readonly Option[], value: string, errors: FieldErrors): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  return fieldShell(
    drift,
    n,
    invalid,
    "",
    html`<label for="${n.id}">${n.label}</label>`,
    html`<select id="${n.id}" name="${n.name}" data-testid="${n.id}"${attrIf(invalid, 'aria-invalid="true"')}>
    <option value=""${attrIf(value === "", "selected")}>${drift === 2 ? "Choose…" : "— Select —"}</option>
    ${options.map((o) => html`<option value="${o.value}"${attrIf(o.value === value, "selected")}>${o.label}</option>`)}
  </select>`,
    errorLine(def, n, errors),
  );
}

export function checkboxField(def: FieldDef, drift: Drift, checked: boolean, errors: FieldErrors): SafeHtml {
  const n = names(def, drift);
  const invalid = errors[def.key] !== undefined;
  const input = html`<input id="${n.id}" name="${n.name}" data-testid="${n.id}" type="checkbox" value="yes"${attrIf(checked, "checked")}${attrIf(invalid, 'aria-invalid="true"')}>`;
  const label = html`<label for="${n.id}">${n.label}</label>`;
  if (drift === 2) {
    return html`<div class="form-row form-row--check${invalid ? " form-row--invalid" : ""}">
  <div class="form-row__control">${input}${label}</div>
  ${errorLine(def, n, errors)}
</div>`;
  }
  return html`<div class="field checkbox${invalid ? " has-error" : ""}">
  ${input}
  ${label}
  ${errorLine(def, n, errors)}
</div>`;
}

/** Drift 2 groups related fields in a fieldset with a legend; earlier versions use a plain heading. */
export function fieldGroup(drift: Drift, title: string, content: SafeHtml, v2Title: string = title): SafeHtml {
  if (drift !== 2) return html`<h2>${title}</h2>
  ${content}`;
  return html`<fieldset class="form-group"><legend>${v2Title}</legend>
  <div class="form-group__body">${content}</div>
</fieldset>`;
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

export function field(key: string, v0: [string, string, string], v1: [string, string, string], v2: [string, string, string]): FieldDef {
  return {
    key,
    v0: { id: v0[0], name: v0[1], label: v0[2] },
    v1: { id: v1[0], name: v1[1], label: v1[2] },
    v2: { id: v2[0], name: v2[1], label: v2[2] },
  };
}

/** A button/element name pair (id + visible text) per drift version. */
export interface ControlDef {
  v0: { id: string; text: string };
  v1: { id: string; text: string };
  v2: { id: string; text: string };
}

export function control(v0: [string, string], v1: [string, string], v2: [string, string]): ControlDef {
  return { v0: { id: v0[0], text: v0[1] }, v1: { id: v1[0], text: v1[1] }, v2: { id: v2[0], text: v2[1] } };
}

export function ctl(def: ControlDef, drift: Drift): { id: string; text: string } {
  return drift === 2 ? def.v2 : drift === 1 ? def.v1 : def.v0;
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
