// forms: a form built from the server's field catalogue (GET /api/v1/fields), so every input
// matches the validation the server does. Server errors are shown next to the field they name;
// a failed save leaves every typed value in place; a stale edit (412) is explained with a way
// to reload.
import { h, append, fill, humanize, announce } from "./dom.js";
import { api, listAll, problemText } from "./api.js";
import { fieldLabel, choiceLabel } from "./labels.js";
import { localInputToInstant, instantToLocalInput } from "./format.js";
import { forgetPrograms, programSelect } from "./programs.js";

let catalogue = null;
let assignees = null;
let formCounter = 0;

// The field catalogue, fetched once per session. Returns {collection: [field...], stages,
// roles, deadline_kinds} or null.
export async function fieldCatalogue() {
  if (!catalogue) {
    const r = await api("GET", "/api/v1/fields");
    if (r.ok) catalogue = r.data;
  }
  return catalogue;
}

// The stage names of the catalogue, open stages first, then the closed ones (each in the
// server's order): the order of the stage filter and of Today's stage counts.
export function stageOrder(catalogue) {
  const stages = (catalogue && catalogue.stages) || [];
  return [...stages.filter((s) => !s.closed), ...stages.filter((s) => s.closed)].map((s) => s.name);
}

// The role names of the catalogue, in the server's order.
export function roleNames(catalogue) {
  return ((catalogue && catalogue.roles) || []).map((r) => r.name);
}

// The roles that can take an assignment field (assigned_attorney_id or assigned_paralegal_id).
function assignableRoles(fieldName) {
  const flag = fieldName === "assigned_attorney_id" ? "assignable_attorney" : "assignable_paralegal";
  return ((catalogue && catalogue.roles) || []).filter((r) => r[flag]).map((r) => r.name);
}

// The users a request can be assigned to (id, name, role), fetched once per session (a failed
// fetch is not kept, so the next page asks again). Returns [] when it could not be read.
export async function assigneeList() {
  if (!assignees) {
    const r = await listAll("/api/v1/assignees");
    if (!r.ok) return [];
    assignees = r.data.items;
  }
  return assignees;
}

// The fields with one of them given the choices of a select (see inputFor); without choices
// (and no stored value to keep) the field is left out.
export function withOptions(fields, name, options, stored = null) {
  if (!options.length && (stored === null || stored === undefined)) return fields.filter((f) => f.name !== name);
  return fields.map((f) => (f.name === name ? { ...f, options } : f));
}

// The requests a parole request may renew: the client's others ("Request 3 — Re-parole (Approved)").
export function renewalOptions(requests, selfId = null) {
  return requests.filter((p) => p.id !== selfId).map((p) => ({
    value: p.id, text: `Request ${p.id}${p.parole_type ? ` — ${choiceLabel(p.parole_type)}` : ""}${p.stage ? ` (${humanize(p.stage)})` : ""}` }));
}

// Forget cached catalogue, assignees and programs (sign-out: another user may sign in).
export function resetFormCaches() { catalogue = null; assignees = null; forgetPrograms(); }

// The input element for one field, filled from value.
function inputFor(field, id, value) {
  const common = { id, name: field.name, required: field.required, "aria-describedby": `${id}-error` };
  if (field.control) return field.control.make(common, value, fieldLabel(field.name) + (field.required ? " *" : ""));
  // A parole request's program: one of the programs (programs.js; read before the form is made).
  if (field.name === "program" && field.type === "text") return programSelect(common, value);
  // A field given its choices by the page (field.options: [{value, text}], e.g. the client's other
  // requests a request renews): a select, the empty choice first; a stored value not among them
  // stays a choice.
  if (field.options) {
    const select = h("select", common, h("option", { value: "", text: "—" }),
      field.options.map((o) => h("option", { value: String(o.value), text: o.text })));
    if (value !== null && value !== undefined && !field.options.some((o) => String(o.value) === String(value))) select.append(h("option", { value: String(value), text: String(value) }));
    select.value = value === null || value === undefined ? "" : String(value);
    return select;
  }
  if (field.type === "enum" || field.name.startsWith("assigned_")) {
    const select = h("select", common);
    if (!field.required || field.name.startsWith("assigned_")) select.append(h("option", { value: "", text: "—" }));
    if (field.name.startsWith("assigned_")) {
      const wanted = assignableRoles(field.name);
      for (const u of assignees || []) if (wanted.includes(u.role)) select.append(h("option", { value: String(u.id), text: `${u.name} (${u.role})` }));
      if (value !== null && value !== undefined && ![...select.options].some((o) => o.value === String(value))) select.append(h("option", { value: String(value), text: `User ${value}` }));
    } else {
      for (const c of field.choices || []) select.append(h("option", { value: c, text: choiceLabel(c) }));
    }
    select.value = value === null || value === undefined ? (field.default && !field.name.startsWith("assigned_") ? field.default : "") : String(value);
    return select;
  }
  if (field.type === "boolean") {
    const box = h("input", { ...common, type: "checkbox", required: false });
    box.checked = value === undefined || value === null ? Boolean(field.default) : Boolean(value);
    return box;
  }
  if (field.type === "date") return h("input", { ...common, type: "date", min: "1900-01-01", max: "2199-12-31", value: value || "" });
  if (field.type === "timestamp") return h("input", { ...common, type: "datetime-local", value: instantToLocalInput(value) });
  if (isMoney(field)) return h("input", { ...common, type: "number", step: "0.01", min: field.minimum / 100, max: field.maximum / 100, inputmode: "decimal", value: value === null || value === undefined ? "" : (value / 100).toFixed(2) });
  if (field.type === "integer") return h("input", { ...common, type: "number", step: "1", min: field.minimum, max: field.maximum, value: value === null || value === undefined ? "" : String(value) });
  if (field.type === "text_array") return h("textarea", { ...common, rows: 3, value: (value || []).join("\n") });
  if (field.type === "integer_array") return h("input", { ...common, type: "text", inputmode: "numeric", value: (value || []).join(", ") });
  const long = !field.single_line && field.max_length >= 1000;
  // No maxlength: the browser counts UTF-16 units and would cut text with emoji short of the
  // server's limit, which counts characters; the server names a field that is too long.
  if (long) return h("textarea", { ...common, rows: 4, value: value || "" });
  return h("input", { ...common, type: field.name === "email" ? "email" : "text", value: value === null || value === undefined ? "" : String(value), autocomplete: "off" });
}

// Amounts stored in cents are typed in dollars.
const isMoney = (field) => field.type === "integer" && field.name.endsWith("_cents");

// The JSON value of an input (null when empty), or {invalid: message}. `stored` is the record's
// current value (edit forms), so an untouched appointment time is not re-sent in another form.
// The firm's current year, for examples in messages.
function firmYear() { return new Date().getFullYear(); }

function valueOf(field, input, stored) {
  if (field.control) return field.control.read(input);
  if (field.type === "boolean") return input.checked;
  // A half-typed number or date reads as "" in the DOM: never let it clear the stored value.
  if (input.validity && input.validity.badInput) return { invalid: field.type === "date" ? "is not a complete date" : "is not a number" };
  const raw = input.value;
  if (field.type === "text_array") return raw.split("\n").map((s) => s.trim()).filter(Boolean);
  if (raw.trim() === "") return field.type === "integer_array" ? [] : null;
  if (isMoney(field)) {
    const cents = Math.round(Number(raw) * 100);
    return Number.isFinite(cents) ? cents : { invalid: "must be an amount in dollars, such as 630.00" };
  }
  if (field.type === "integer" || field.name.startsWith("assigned_")) {
    const n = Number(raw);
    return Number.isInteger(n) ? n : { invalid: "must be a whole number" };
  }
  // A year typed with two digits ("26") is year 0026 to the date input: say so instead of
  // storing a date two thousand years ago.
  if (field.type === "date" && /^0\d{3}-/.test(raw)) return { invalid: `has the year ${raw.slice(0, 4)}: type the year with four digits (like ${firmYear()})` };
  if (field.type === "integer_array") {
    const items = raw.split(/[,\s]+/).filter(Boolean).map(Number);
    return items.every(Number.isInteger) ? items : { invalid: "must be whole numbers separated by commas" };
  }
  if (field.type === "timestamp") {
    if (stored && raw === instantToLocalInput(stored)) return stored; // unchanged: keep it as stored
    const instant = localInputToInstant(raw);
    if (instantToLocalInput(instant) !== raw) return { invalid: "does not exist in the firm's time zone (the clocks change at that hour)" };
    return instant;
  }
  return raw;
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// What takes focus for a field: the input itself, or the first input of a group.
const focusable = (el) => (el.matches("input, select, textarea") ? el : el.querySelector("input, select, textarea, button") || el);

// Build a record form.
//   fields: catalogue entries (one may carry `options`, the choices of a select; see inputFor);
//   record: the stored record (edit) or null (create);
//   omit: field names not shown; fixed: values always sent on create (e.g. client_id);
//   a field may bring its own control (field.control: a group of inputs, such as a program's
//   exceptions): make(attrs, value, label) -> element, read(element) -> value or {invalid},
//   and optionally showError(element, error) -> the input to focus after placing the error
//   beside the part it names (null: shown under the field) and clearErrors(element);
//   save(body, version) -> api result; onSaved(record); onCancel(); submitLabel; title;
//   visibleWhen: {name: (values) -> bool}: a field shown only while the other inputs allow it
//   (a fee notice's form, a filing fee's only); hidden, it is not sent (an edit clears it);
//   hints: {name: (values) -> text or null}: a line under the field, redrawn as the form is
//   typed in. `values` are the inputs' current values by name (text as typed, checkboxes bool);
//   initial: {name: value}: values the inputs start with instead of the record's or the
//   defaults (a form filled in from what a USCIS status says); on edit they count as changes.
// Returns the <form>. On edit only changed fields are sent (a JSON merge patch) with If-Match.
// The record forms on the page with something typed and not saved.
export function unsavedForms(root = document) {
  return [...root.querySelectorAll('form.record-form[data-dirty="true"]')].filter((f) => f.isConnected);
}

// Forget what the forms under root had typed (the person chose to leave without saving).
export function discardUnsaved(root = document) {
  for (const f of unsavedForms(root)) delete f.dataset.dirty;
}

//   load: (edit forms) reads the record as it is now; given, a stale save (412) is merged field
//   by field instead of only explained (see mergeStale).
export function recordForm({ fields, record = null, omit = [], fixed = {}, save, onSaved, onCancel, submitLabel = "Save", title, visibleWhen = {}, hints = {}, initial = {}, load = null }) {
  const formId = `f${++formCounter}`;
  const inputs = new Map();
  const errorSlots = new Map();
  const wraps = new Map();
  const hintSlots = new Map();
  const banner = h("div", { class: "form-banner", role: "alert" });
  const form = h("form", { class: "record-form", novalidate: true, "aria-label": title || submitLabel });
  if (title) form.append(h("h3", { text: title }));
  form.append(banner);
  const grid = h("div", { class: "form-grid" });
  for (const field of fields) {
    if (omit.includes(field.name) || field.name in fixed) continue;
    const id = `${formId}-${field.name}`;
    const input = inputFor(field, id, field.name in initial ? initial[field.name] : record ? record[field.name] : undefined);
    const error = h("p", { class: "field-error", id: `${id}-error` });
    inputs.set(field.name, input);
    errorSlots.set(field.name, error);
    const label = h("label", { for: id, text: fieldLabel(field.name) + (field.required ? " *" : "") });
    const wrap = h("div", { class: `field field-${field.type}${input.tagName === "TEXTAREA" || field.control ? " field-wide" : ""}` });
    const hint = hints[field.name] && !field.control ? h("p", { class: "field-hint", id: `${id}-hint` }) : null;
    if (hint) { hintSlots.set(field.name, hint); input.setAttribute("aria-describedby", `${id}-hint ${id}-error`); }
    if (field.control) append(wrap, [input, error]); // the control carries its own legend
    else if (field.type === "boolean") append(wrap, [h("span", { class: "check" }, input, label), hint, error]);
    else append(wrap, [label, input, hint, error]);
    wraps.set(field.name, wrap);
    grid.append(wrap);
  }
  form.append(grid);
  // Show the fields the other inputs allow and redraw the hints, now and after every change.
  const typed = () => Object.fromEntries(fields.filter((f) => inputs.has(f.name) && !f.control)
    .map((f) => { const el = inputs.get(f.name); return [f.name, el.type === "checkbox" ? el.checked : el.value]; }));
  const hidden = (name) => Boolean(wraps.get(name)?.hidden);
  function follow() {
    const values = { ...fixed, ...typed() };
    for (const [name, shown] of Object.entries(visibleWhen)) if (wraps.has(name)) wraps.get(name).hidden = !shown(values);
    for (const [name, slot] of hintSlots) slot.textContent = hidden(name) ? "" : hints[name](values) || "";
  }
  form.addEventListener("input", follow);
  form.addEventListener("change", follow);
  follow();
  // Something typed and not saved yet: leaving the page asks first (app.js, unsavedForms).
  const markDirty = () => { form.dataset.dirty = "true"; };
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  const submit = h("button", { type: "submit", class: "primary", text: submitLabel });
  const actions = h("div", { class: "form-actions" }, submit);
  if (onCancel) actions.append(h("button", { type: "button", text: "Cancel", onclick: () => { delete form.dataset.dirty; onCancel(); } }));
  form.append(actions);

  function clearErrors() {
    fill(banner);
    banner.className = "form-banner";
    for (const [name, slot] of errorSlots) { slot.textContent = ""; inputs.get(name).removeAttribute("aria-invalid"); }
    for (const field of fields) if (field.control && field.control.clearErrors && inputs.has(field.name)) field.control.clearErrors(inputs.get(field.name));
  }

  function showErrors(errors) {
    const unplaced = [];
    let first = null;
    for (const e of errors) {
      const base = String(e.field || "").split(/[[.]/)[0];
      const slot = errorSlots.get(base);
      const control = slot && fields.find((f) => f.name === base).control;
      const placed = control && control.showError ? control.showError(inputs.get(base), e) : null;
      if (placed) first = first || placed;
      else if (slot) {
        slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : `${e.field === base ? "" : `${e.field}: `}${e.message}`;
        inputs.get(base).setAttribute("aria-invalid", "true");
        first = first || focusable(inputs.get(base));
      } else {
        unplaced.push(`${e.field}: ${e.message}`);
      }
    }
    return { first, unplaced };
  }

  // A stale save (412): read the record as it is now. Every field only this person changed is
  // kept; where the other change touched the same field differently, both values are shown
  // beside it (with "Use theirs"), and nothing is saved until the person saves again. With no
  // such field, the edits are saved at once on top of the other change. Returns false when the
  // record could not be read (the caller explains the 412 as before).
  async function mergeStale(mine) {
    const current = await load();
    if (!current) return false;
    const before = record;
    record = current; // the next save compares with, and names the version of, what is stored
    const conflicts = Object.keys(mine).filter((name) => !same(current[name], before[name]) && !same(current[name], mine[name]));
    const theirs = fields.filter((f) => inputs.has(f.name) && !(f.name in mine) && !same(current[f.name], before[f.name]));
    // Their changes to fields this person left alone come into the form.
    for (const f of theirs) {
      const input = inputs.get(f.name);
      const fresh = inputFor(f, input.id, current[f.name]);
      input.replaceWith(fresh);
      inputs.set(f.name, fresh);
    }
    if (!conflicts.length) {
      const again = await save(mine, current.version);
      if (again.ok) { delete form.dataset.dirty; announce("Saved. Someone else had changed other fields meanwhile; both changes are kept."); onSaved(again.data); return true; }
      return false;
    }
    banner.className = "form-banner error";
    fill(banner, h("p", { text: "Someone else changed this record after you opened it. Your changes to the other fields are kept in the form; these fields were changed by both of you: choose, then save again." }));
    for (const name of conflicts) {
      const slot = errorSlots.get(name);
      const field = fields.find((f) => f.name === name);
      const shown = (v) => (v === null || v === undefined || v === "" ? "(empty)" : Array.isArray(v) ? v.join(", ") : String(v));
      fill(slot, `Saved meanwhile by someone else: ${shown(current[name])}. `,
        h("button", { type: "button", class: "small", text: "Use theirs", onclick: () => {
          const fresh = inputFor(field, inputs.get(name).id, current[name]);
          inputs.get(name).replaceWith(fresh);
          inputs.set(name, fresh);
          fill(slot);
        } }));
      inputs.get(name).setAttribute("aria-invalid", "true");
    }
    focusable(inputs.get(conflicts[0]))?.focus();
    return true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const body = record ? {} : { ...fixed };
    const local = [];
    for (const field of fields) {
      const input = inputs.get(field.name);
      if (!input) continue;
      const value = hidden(field.name) ? null : valueOf(field, input, record ? record[field.name] : undefined);
      if (value && typeof value === "object" && "invalid" in value) { local.push({ field: field.name, message: value.invalid }); continue; }
      if (record) { if (!same(value, record[field.name])) body[field.name] = value; }
      else if (value !== null && !(Array.isArray(value) && value.length === 0 && field.required === false)) body[field.name] = value;
    }
    if (local.length) { const { first } = showErrors(local); banner.textContent = "Please correct the marked fields."; banner.className = "form-banner error"; if (first) first.focus(); return; }
    if (record && Object.keys(body).length === 0) { banner.textContent = "Nothing has changed."; banner.className = "form-banner info"; return; }
    submit.disabled = true;
    submit.textContent = "Saving…";
    const result = await save(body, record ? record.version : undefined);
    submit.disabled = false;
    submit.textContent = submitLabel;
    if (result.ok) { delete form.dataset.dirty; onSaved(result.data); return; }
    banner.className = "form-banner error";
    if (result.status === 412) {
      if (load && await mergeStale(body)) return;
      fill(banner, h("p", { text: "Someone else changed this record after you opened it, so your changes were not saved. Your edits are still in the form: copy what you need, then reload to see the current version." }),
        h("button", { type: "button", text: "Reload the current version", onclick: () => onSaved(null, { reload: true }) }));
      return;
    }
    if (result.status === 401) { banner.textContent = "Your session has ended. Sign in again, then save: your edits are still here."; return; }
    const { first, unplaced } = showErrors(result.problem.errors || []);
    fill(banner, h("p", { text: result.status === 422 ? "The record was not saved: please correct the marked fields." : `The record was not saved: ${problemText(result)}` }),
      unplaced.length ? h("ul", {}, unplaced.map((t) => h("li", { text: t }))) : null);
    if (first) first.focus(); else banner.focus?.();
  });
  return form;
}
