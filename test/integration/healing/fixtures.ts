// Fixture pages for the healing tests: a portal's claim form as it was when a step last worked,
// and the redesigns and pop-ups replay must cope with. Set with page.setContent; the inline
// handlers count clicks and record destructive ones in window.__events.

const STYLE = `<style>
  body { font: 16px sans-serif; margin: 0; padding: 24px; }
  label { display: block; margin-top: 8px; }
  .overlay { position: fixed; inset: 0; background: rgba(0,0,0,.6); display: flex; align-items: center; justify-content: center; z-index: 10; }
  .card { background: #fff; padding: 24px; width: 420px; }
  .banner { position: fixed; left: 0; right: 0; bottom: 0; height: 60px; background: #eee; }
</style>
<script>window.__events = []; function note(event) { window.__events.push(event); }</script>`;

function page(body: string): string {
  return `<!doctype html><html><head><title>Arden Motors</title>${STYLE}</head><body><header><strong>Arden Motors</strong></header><main>${body}</main></body></html>`;
}

interface ClaimFormParts {
  vehicle?: string;
  customer?: string;
  buttons?: string;
  after?: string;
}

const VIN = `<label for="vin">VIN</label><input id="vin" name="vin" type="text">`;
const ODOMETER = `<label for="mileage">Odometer</label><input id="mileage" name="mileage" type="number">`;
const CUSTOMER = `<label for="customer-name">Customer name</label><input id="customer-name" name="customerName" type="text">
  <label for="notes">Notes</label><textarea id="notes" name="notes"></textarea>`;
const BUTTONS = `<button type="button" id="save-draft" onclick="note('save draft')">Save draft</button>
  <button type="submit" id="submit-claim">Submit claim</button>`;

function claimForm(parts: ClaimFormParts = {}): string {
  return page(`<h1>New warranty claim</h1>
<form aria-label="Warranty claim" onsubmit="event.preventDefault(); note('submitted')">
  <fieldset><legend>Vehicle</legend>${parts.vehicle ?? VIN + ODOMETER}</fieldset>
  <fieldset><legend>Customer</legend>${parts.customer ?? CUSTOMER}</fieldset>
  <div class="actions">${parts.buttons ?? BUTTONS}</div>
</form>${parts.after ?? ""}`);
}

/** The form as it was when the step last worked. */
export const CLAIM_FORM = claimForm();

/** The submit button got a new id and text; it is still the form's submit, in the same place. */
export const RENAMED_BUTTON = claimForm({ buttons: `<button type="button" id="save-draft" onclick="note('save draft')">Save draft</button>
  <button type="submit" id="send-claim">Send claim</button>` });

/** The VIN field moved below the odometer, into a new wrapper, with a new id and name; its label is the same. */
export const MOVED_FIELD = claimForm({
  vehicle: `${ODOMETER}<div class="grid"><section aria-label="Identification"><div class="cell"><label for="vehicle-vin">VIN</label><input id="vehicle-vin" name="vehicleVin" type="text"></div></section></div>`,
});

/** The odometer's label changed completely and its id too; its `name` (the posted key) and place are kept. */
export const RELABELLED_FIELD = claimForm({ vehicle: `${VIN}<label for="odo-reading">Current reading (km)</label><input id="odo-reading" name="mileage" type="number">` });

/** The odometer's label, id and name all changed; only its place is left. */
export const UNRECOGNISABLE_FIELD = claimForm({ vehicle: `${VIN}<label for="f2">Current reading (km)</label><input id="f2" name="f2" type="number">` });

function overlay(title: string, buttons: string, extra = ""): string {
  return `<div class="overlay" id="notice" role="dialog" aria-modal="true" aria-labelledby="notice-title" ${extra}><div class="card"><h2 id="notice-title">${title}</h2><p>Please read this before you continue.</p>${buttons}</div></div>`;
}

/** A cookie dialog the adapter has never seen, covering the form. */
export const COOKIE_DIALOG = claimForm({
  after: overlay("We use cookies", `<button onclick="note('preferences')">Manage preferences</button><button onclick="note('accept cookies'); document.getElementById('notice').remove()">Accept</button>`),
});

/** The same dialog, with an OK button instead. */
export const COOKIE_DIALOG_OK = claimForm({
  after: overlay("Cookies", `<button onclick="note('preferences')">Preferences</button><button onclick="note('ok'); document.getElementById('notice').remove()">OK</button>`),
});

/** An unknown notice whose first button is destructive. */
export const NOTICE_DIALOG = claimForm({
  after: overlay("Important notice", `<button onclick="note('deleted my data'); document.getElementById('notice').remove()">Delete my data</button><button onclick="note('understood'); document.getElementById('notice').remove()">I understand</button>`),
});

/** A dialog with no close or acknowledge button that closes on Escape. */
export const ESCAPE_ONLY_DIALOG = claimForm({
  after: `${overlay("How are we doing?", `<button onclick="note('survey')">Take the survey</button>`)}<script>document.addEventListener('keydown', (e) => { if (e.key === 'Escape') { note('escape'); document.getElementById('notice')?.remove(); } });</script>`,
});

/** A dialog whose only button is destructive and that ignores Escape. */
export const DESTRUCTIVE_ONLY_DIALOG = claimForm({
  after: overlay("Your data", `<button onclick="note('deleted my data'); document.getElementById('notice').remove()">Delete my data</button>`),
});

/** A cookie banner along the bottom that covers nothing the form needs. */
export const NON_BLOCKING_BANNER = claimForm({ after: `<div class="banner" role="region" aria-label="Cookies">We use cookies. <button>OK</button></div>` });

/** Two identical submit buttons in the same form, neither with the old id. */
export const LOOKALIKE_BUTTONS = claimForm({
  buttons: `<button type="button" id="save-draft" onclick="note('save draft')">Save draft</button>
  <button type="submit" onclick="note('submit 1')">Submit claim</button>
  <button type="submit" onclick="note('submit 2')">Submit claim</button>`,
});

/** "Withdraw claim" where "Submit claim" was. */
export const DESTRUCTIVE_LOOKALIKE = claimForm({
  buttons: `<button type="button" id="save-draft" onclick="note('save draft')">Save draft</button>
  <button type="button" id="withdraw-claim" onclick="note('withdrew claim')">Withdraw claim</button>`,
});

/** "Withdraw claim" now carries the old submit button's id. */
export const DESTRUCTIVE_ON_OLD_ID = claimForm({
  buttons: `<button type="button" id="save-draft" onclick="note('save draft')">Save draft</button>
  <button type="button" id="submit-claim" onclick="note('withdrew claim')">Withdraw claim</button>`,
});

/** The cached `#vin` now sits on the Notes textarea; the VIN field has a new id. */
export const VIN_ID_ON_NOTES = claimForm({
  vehicle: `<label for="vehicle-id">VIN</label><input id="vehicle-id" name="vin" type="text">${ODOMETER}`,
  customer: `<label for="customer-name">Customer name</label><input id="customer-name" name="customerName" type="text">
  <label for="vin">Notes</label><textarea id="vin" name="notes"></textarea>`,
});

/** Two identical submit buttons (neither with the old id) and a Withdraw button: the scorer cannot choose; the model tier is asked. */
export const LOOKALIKES_AND_WITHDRAW = claimForm({
  buttons: `<button type="button" id="save-draft" onclick="note('save draft')">Save draft</button>
  <button type="submit" onclick="note('submit 1')">Submit claim</button>
  <button type="submit" id="second-submit" onclick="note('submit 2')">Submit claim</button>
  <button type="button" onclick="note('withdrew claim')">Withdraw claim</button>`,
});
