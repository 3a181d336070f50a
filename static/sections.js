// sections: a record's child collection as a card on its page: a table of the records, a form to
// add one, and per row a form to edit it (with If-Match; a stale edit is explained with a way to
// reload) and a button to delete it. The request page's events (filings, RFEs, appointments...)
// and the client page's travel history are drawn by the same code.
import { api, problemText } from "./api.js";
import { h, fill, statusLine, table } from "./dom.js";
import { formatDate, formatInstant, formatCents, formatDatesIn } from "./format.js";
import { recordForm } from "./forms.js";
import { columnLabel, choiceLabel, eadCategoryLabel } from "./labels.js";

// One cell of a child table.
export function cell(field, value) {
  if (value === null || value === undefined || value === "") return "—";
  if (!field) return String(value);
  if (field.type === "date") return formatDate(value);
  if (field.type === "timestamp") return formatInstant(value);
  if (field.type === "boolean") return value ? "Yes" : "No";
  if (field.type === "enum") return choiceLabel(value);
  if (field.type === "integer" && field.name.endsWith("_cents")) return h("span", { class: "money", text: formatCents(value) });
  if (field.name === "ead_category") return eadCategoryLabel(value);
  return String(value);
}

// A record's warnings (non-blocking remarks, e.g. a re-parole filed before its window) as one line.
export const warningText = (item) => (item.warnings || []).map((w) => formatDatesIn(w.message)).join("; ");

// A titled card with a body to fill.
export function card(parent, title, id) {
  const body = h("div", {}, statusLine("loading", "Loading…"));
  const sec = h("section", { class: "card", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title`, text: title }), body);
  parent.append(sec);
  return { sec, body };
}

// One event section: table, add form, edit and delete per row. A save whose record comes back
// with warnings shows them under the table (c.warned, kept until the section is drawn again).
export function renderChild(c, result, fields, base, ctx, refresh, env) {
  const { spec, body, sec } = c;
  const formOptions = { visibleWhen: spec.visibleWhen || {}, hints: spec.hints ? spec.hints(env) : {} };
  sec.querySelector("button.add")?.remove(); // drawn again below
  if (!result.ok) { fill(body, statusLine("error", problemText(result))); return; }
  const items = result.data.items;
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  const url = `${base}/${spec.collection}`;
  const slot = h("div", { class: "form-slot" });
  const anyWarnings = items.some((item) => item.warnings && item.warnings.length);
  const rows = items.map((item) => {
    const cells = spec.columns.map((name) => (spec.cells && spec.cells[name] ? spec.cells[name](item) : cell(byName[name], item[name])));
    const actions = h("span", { class: "row-actions" });
    if (ctx.canWrite) {
      actions.append(h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit ${spec.noun} ${item.id}`, onclick: () => openEdit(item) }),
        h("button", { type: "button", class: "small danger", text: "Delete", "aria-label": `Delete ${spec.noun} ${item.id}`, onclick: () => remove(item) }));
    }
    if (anyWarnings) cells.push(h("span", { class: "warning", text: warningText(item) }));
    cells.push(actions);
    return cells;
  });
  const headers = spec.columns.map(columnLabel);
  if (anyWarnings) headers.push("Warnings");
  headers.push("");
  fill(body, items.length ? table(null, headers, rows, { class: "child-table" }) : statusLine("empty", `No ${spec.noun} recorded.`), slot);
  if (c.warned) {
    slot.append(h("p", { class: "state save-warning", role: "status", id: `${spec.collection}-saved-warning`, text: `Saved, with a warning: ${c.warned}` }));
    c.warned = null;
  }
  // After a save: the section again, saying what the server warned about the record.
  const saved = (record) => {
    c.warned = record ? warningText(record) || null : null;
    return refresh(c, c.warned ? `Saved, with a warning: ${c.warned}` : "Saved.");
  };
  // A form opened from elsewhere on the page (a USCIS status proposing this kind of event) may
  // bring `initial` values and hooks: {title; intro: a line under the title; focus: the field
  // to start at; onSaved(record), awaited before the section is drawn again; onCancel(), after
  // the form is closed unsaved}.
  const add = ctx.canWrite ? h("button", { type: "button", class: "add", id: `add-${spec.collection}`, text: `Add ${spec.noun}`, onclick: () => openAdd() }) : null;
  function openAdd(initial = {}, hooks = {}) {
    add.hidden = true;
    fill(slot, recordForm({ fields, title: hooks.title || `New ${spec.noun}`, submitLabel: `Add ${spec.noun}`, ...formOptions, initial,
      save: (b) => api("POST", url, { body: b }),
      onSaved: async (record) => { if (hooks.onSaved) await hooks.onSaved(record); saved(record); },
      onCancel: () => { fill(slot); add.hidden = false; add.focus(); if (hooks.onCancel) hooks.onCancel(); } }));
    introduce(hooks.intro);
    focusStart(hooks.focus || null);
  }
  function introduce(text) {
    if (text) slot.querySelector("form > h3")?.after(h("p", { class: "form-intro", text }));
  }
  if (add) sec.querySelector("h2").after(add);
  // Whether a form is open in the section (another form opened there would replace it).
  c.formOpen = () => Boolean(slot.querySelector("form"));
  c.openAdd = ctx.canWrite ? openAdd : null;
  // List items leave notes and summaries out: the form edits the whole record, read by id.
  // focusName: the field to start at (else the first); initial and hooks as for openAdd.
  async function openEdit(listed, focusName = null, initial = {}, hooks = {}) {
    const r = await api("GET", `${url}/${listed.id}`);
    if (r.ok) edit(r.data, focusName, initial, hooks); else slot.replaceChildren(statusLine("error", problemText(r)));
  }
  c.openEdit = ctx.canWrite ? openEdit : null;
  function edit(item, focusName = null, initial = {}, hooks = {}) {
    fill(slot, recordForm({ fields, record: item, title: hooks.title || `Edit ${spec.noun} ${item.id}`, ...formOptions, initial,
      save: (patch, version) => api("PATCH", `${url}/${item.id}`, { body: patch, ifMatch: version }),
      load: async () => { const now = await api("GET", `${url}/${item.id}`); return now.ok ? now.data : null; },
      onSaved: async (record, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `${url}/${item.id}`); if (again.ok) edit(again.data, null, initial, hooks); return; }
        if (hooks.onSaved) await hooks.onSaved(record);
        saved(record);
      },
      onCancel: () => {
        fill(slot);
        sec.querySelector(`[aria-label="Edit ${spec.noun} ${item.id}"]`)?.focus();
        if (hooks.onCancel) hooks.onCancel();
      } }));
    introduce(hooks.intro);
    focusStart(focusName);
  }
  // Put focus (and the view) on a field of the form just opened: focusName, else the first.
  function focusStart(focusName) {
    const start = (focusName && slot.querySelector(`[name="${focusName}"]`)) || slot.querySelector("input, select, textarea");
    start?.scrollIntoView({ block: "center" });
    start?.focus();
  }
  async function remove(item) {
    if (!confirm(`Delete this ${spec.noun}?`)) return;
    const d = await api("DELETE", `${url}/${item.id}`, { ifMatch: item.version });
    if (d.ok) refresh(c, "Deleted."); else slot.replaceChildren(statusLine("error", problemText(d)));
  }
}
