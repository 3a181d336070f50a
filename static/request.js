// request: one parole request. Header (stage, type, program, assignees), the timeline of its
// events, a section per kind of event with forms to add and edit, its deadlines with the rule
// and citation behind each date (or the program termination that set it), and its history
// (audit events).
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, table, humanize, announce, replaceError } from "./dom.js";
import { formatDate, formatInstant, formatCents } from "./format.js";
import { fieldCatalogue, recordForm, assigneeList } from "./forms.js";
import { fieldLabel, columnLabel, choiceLabel, entityLabel } from "./labels.js";
import { clientNames } from "./names.js";
import { profile } from "./clients.js";
import { programList, programOf, programLabel, exceptionText, terminationNote } from "./programs.js";

// The kinds of event, their titles and the columns their tables show.
const CHILDREN = [
  { collection: "filings", title: "Filings", noun: "filing", columns: ["form", "kind", "filed_on", "receipt_number", "receipt_notice_on", "method", "fee_cents", "decided_on"] },
  { collection: "rfes", title: "RFEs and NOIDs", noun: "RFE or NOID", columns: ["kind", "issued_on", "response_due_on", "mailed", "responded_on"] },
  { collection: "interviews", title: "Interviews and biometrics", noun: "appointment", columns: ["kind", "scheduled_at", "location", "outcome"] },
  { collection: "decisions", title: "Decisions", noun: "decision", columns: ["outcome", "decided_on", "valid_from", "valid_until"] },
  { collection: "expirations", title: "Expiry dates", noun: "expiry date", columns: ["kind", "issued_on", "expires_on", "document_number"] },
];

// One cell of a child table.
function cell(field, value) {
  if (value === null || value === undefined || value === "") return "—";
  if (!field) return String(value);
  if (field.type === "date") return formatDate(value);
  if (field.type === "timestamp") return formatInstant(value);
  if (field.type === "boolean") return value ? "Yes" : "No";
  if (field.type === "enum") return choiceLabel(value);
  if (field.name === "fee_cents") return formatCents(value);
  return String(value);
}

// A titled card with a body to fill.
function card(parent, title, id) {
  const body = h("div", {}, statusLine("loading", "Loading…"));
  const sec = h("section", { class: "card", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title`, text: title }), body);
  parent.append(sec);
  return { sec, body };
}

export async function render(page, [id], ctx) {
  page.append(statusLine("loading", "Loading…"));
  const base = `/api/v1/parole-requests/${id}`;
  const [catalogue, people, r] = await Promise.all([fieldCatalogue(), assigneeList(), api("GET", base), programList()]);
  if (!r.ok) { fill(page, h("h1", { text: "Parole request" }), statusLine("error", r.status === 404 ? "There is no such parole request." : problemText(r))); return; }
  if (!catalogue) { fill(page, statusLine("error", "The field catalogue could not be loaded.")); return; }
  let request = r.data;
  const names = await clientNames([request.client_id]);
  const person = (uid) => (uid ? (people.find((p) => p.id === uid) || {}).name || `User ${uid}` : "unassigned");
  const clientName = names.get(request.client_id) || `Client ${request.client_id}`;
  fill(page);

  // Header: who, stage, type, program, assignees. Redrawn after every save (the stage follows
  // the events), but the details box is left alone while its edit form is open.
  const header = h("div", { class: "request-head" });
  const details = h("div");
  page.append(header, details);
  function drawHeader() {
    fill(header,
      h("p", {}, h("a", { href: `#/clients/${request.client_id}` }, "← ", h("bdi", { text: clientName }))),
      h("h1", {}, h("bdi", { text: clientName }), ` — parole request ${request.id}`),
      h("p", { class: "facts" },
        h("span", { class: `badge stage-${request.stage}`, id: "request-stage", text: humanize(request.stage) }),
        h("span", { text: choiceLabel(request.parole_type) }),
        h("span", { id: "request-program", text: request.program ? `Program: ${programLabel(request.program)}` : "No program" }),
        h("span", { text: choiceLabel(request.location) }),
        request.expedite ? h("span", { class: "badge", text: "Expedite" }) : null),
      terminationLine(),
      h("p", { class: "muted" }, `Attorney: ${person(request.assigned_attorney_id)} · Paralegal: ${person(request.assigned_paralegal_id)}`));
  }
  // The request's program was terminated: say when, under which notice and with what exceptions
  // (why a request can be `terminated` without a decision saying so; the deadlines say which
  // dates the termination set).
  function terminationLine() {
    const p = programOf(request.program);
    if (!p || !p.terminated_on) return null;
    return h("p", { class: "termination", id: "request-termination" }, h("strong", { text: `${p.name}: terminated on ${formatDate(p.terminated_on)}` }),
      ` — ${p.citation_source} (${formatDate(p.citation_date)}).`,
      p.exceptions.length ? ` ${p.exceptions.map(exceptionText).join("; ")}.` : null);
  }
  function showDetails() {
    fill(details, ctx.canWrite ? h("button", { type: "button", id: "edit-request", text: "Edit request", onclick: showEdit }) : null,
      ctx.isAdmin ? h("button", { type: "button", class: "danger", text: "Delete request", onclick: removeRequest }) : null,
      h("details", {}, h("summary", { text: "Request details" }), profile(catalogue["parole-requests"], request, {
        assigned_attorney_id: person, assigned_paralegal_id: person, client_id: () => clientName, program: programLabel })));
  }
  function showEdit() {
    fill(details, recordForm({
      fields: catalogue["parole-requests"], record: request, omit: ["client_id"], title: "Edit parole request",
      save: (patch, version) => api("PATCH", base, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", base); if (again.ok) { request = again.data; showEdit(); } return; }
        request = saved;
        showDetails();
        await refresh(null, "Saved.");
        document.getElementById("edit-request")?.focus();
      },
      onCancel: () => { showDetails(); document.getElementById("edit-request")?.focus(); },
    }));
    details.querySelector("input, select, textarea")?.focus();
  }
  async function removeRequest() {
    if (!confirm("Delete this parole request? Only a request with no events can be deleted.")) return;
    const d = await api("DELETE", base, { ifMatch: request.version });
    if (d.ok) { location.hash = `#/clients/${request.client_id}`; return; }
    replaceError(details, problemText(d));
  }
  drawHeader();
  showDetails();

  const columns = h("div", { class: "request-grid" });
  page.append(columns);
  const timeline = card(columns, "Timeline", "timeline");
  const deadlines = card(columns, "Deadlines", "deadlines");
  const childCards = CHILDREN.map((c) => ({ spec: c, ...card(columns, c.title, `section-${c.collection}`) }));
  const history = card(columns, "History", "history");

  async function drawTimeline() {
    const t = await api("GET", `${base}/timeline`);
    if (!t.ok) fill(timeline.body, statusLine("error", problemText(t)));
    else if (t.data.items.length === 0) fill(timeline.body, statusLine("empty", "Nothing has happened yet: add a filing below."));
    else fill(timeline.body, h("ol", { class: "timeline", id: "timeline-list" }, t.data.items.map((e) =>
      h("li", { class: `event event-${e.type}` }, h("time", { datetime: e.date, text: e.at ? formatInstant(e.at) : formatDate(e.date) }), h("span", { class: "event-title", text: e.title })))));
  }
  async function drawDeadlines() {
    const d = await listAll(`${base}/deadlines`);
    if (!d.ok) fill(deadlines.body, statusLine("error", problemText(d)));
    else if (d.data.items.length === 0) fill(deadlines.body, statusLine("empty", "No deadline follows from the events so far."));
    else fill(deadlines.body, table(null, ["Due", "What", "Status", "Rule and citation"], d.data.items.map((x) => [
      x.due_at ? formatInstant(x.due_at) : formatDate(x.due_on),
      h("span", {}, x.title, x.opens_on ? h("span", { class: "muted", text: ` (window opens ${formatDate(x.opens_on)})` }) : null),
      h("span", { class: `badge status-${x.status}`, text: humanize(x.status) }),
      x.program_code ? terminationNote(x)
        : h("span", { class: "rule" }, h("strong", { text: x.rule.code }), ` — ${x.rule.citation_source} (${formatDate(x.rule.citation_date)})`)]), { id: "deadline-table" }));
  }
  async function drawHistory() {
    const e = await listAll(`${base}/history`);
    if (!e.ok) fill(history.body, statusLine("error", problemText(e)));
    else fill(history.body, h("ol", { class: "history" }, e.data.items.slice().reverse().map((ev) => h("li", {},
      h("time", { datetime: ev.at, text: formatInstant(ev.at) }), " ", h("strong", { text: ev.actor.label || ev.actor.type }), ` ${humanize(ev.action).toLowerCase()} ${entityLabel(ev.entity)} ${ev.entity_id || ""}`,
      ev.changes && Object.keys(ev.changes).length ? h("span", { class: "muted", text: ` (${Object.keys(ev.changes).map(columnLabel).join(", ")})` }) : null))));
  }
  async function drawChild(c) {
    renderChild(c, await listAll(`${base}/${c.spec.collection}`), catalogue[c.spec.collection], base, ctx, refresh);
  }
  // After a save or delete in one section: fetch what follows from it (stage, timeline,
  // deadlines, history) and that section again, leaving every other section (and any form open
  // there) as it is; keep the scroll position and put focus on the section that changed.
  async function refresh(changed, message) {
    const y = window.scrollY;
    const again = await api("GET", base);
    if (again.ok) { request = again.data; drawHeader(); if (!details.querySelector("form")) showDetails(); }
    await Promise.all([drawTimeline(), drawDeadlines(), drawHistory(), changed ? drawChild(changed) : null]);
    window.scrollTo(0, y);
    const heading = changed && document.getElementById(`${changed.sec.id}-title`);
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
    announce(message);
  }
  await Promise.all([drawTimeline(), drawDeadlines(), drawHistory(), ...childCards.map(drawChild)]);
}

// One event section: table, add form, edit and delete per row.
function renderChild(c, result, fields, base, ctx, refresh) {
  const { spec, body, sec } = c;
  sec.querySelector("button.add")?.remove(); // drawn again below
  if (!result.ok) { fill(body, statusLine("error", problemText(result))); return; }
  const items = result.data.items;
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  const url = `${base}/${spec.collection}`;
  const slot = h("div", { class: "form-slot" });
  const anyWarnings = items.some((item) => item.warnings && item.warnings.length);
  const rows = items.map((item) => {
    const cells = spec.columns.map((name) => cell(byName[name], item[name]));
    const actions = h("span", { class: "row-actions" });
    if (ctx.canWrite) {
      actions.append(h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit ${spec.noun} ${item.id}`, onclick: () => openEdit(item) }),
        h("button", { type: "button", class: "small danger", text: "Delete", "aria-label": `Delete ${spec.noun} ${item.id}`, onclick: () => remove(item) }));
    }
    if (anyWarnings) cells.push(h("span", { class: "warning", text: (item.warnings || []).map((w) => w.message).join("; ") }));
    cells.push(actions);
    return cells;
  });
  const headers = spec.columns.map(columnLabel);
  if (anyWarnings) headers.push("Warnings");
  headers.push("");
  fill(body, items.length ? table(null, headers, rows, { class: "child-table" }) : statusLine("empty", `No ${spec.noun} recorded.`), slot);
  if (ctx.canWrite) {
    const add = h("button", { type: "button", class: "add", id: `add-${spec.collection}`, text: `Add ${spec.noun}`, onclick: () => {
      add.hidden = true;
      fill(slot, recordForm({ fields, title: `New ${spec.noun}`, submitLabel: `Add ${spec.noun}`,
        save: (b) => api("POST", url, { body: b }), onSaved: () => refresh(c, "Saved."), onCancel: () => { fill(slot); add.hidden = false; add.focus(); } }));
      slot.querySelector("input, select, textarea")?.focus();
    } });
    sec.querySelector("h2").after(add);
  }
  // List items leave notes and summaries out: the form edits the whole record, read by id.
  async function openEdit(listed) {
    const r = await api("GET", `${url}/${listed.id}`);
    if (r.ok) edit(r.data); else slot.replaceChildren(statusLine("error", problemText(r)));
  }
  function edit(item) {
    fill(slot, recordForm({ fields, record: item, title: `Edit ${spec.noun} ${item.id}`,
      save: (patch, version) => api("PATCH", `${url}/${item.id}`, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `${url}/${item.id}`); if (again.ok) edit(again.data); return; }
        refresh(c, "Saved.");
      },
      onCancel: () => { fill(slot); sec.querySelector(`[aria-label="Edit ${spec.noun} ${item.id}"]`)?.focus(); } }));
    slot.querySelector("input, select, textarea")?.focus();
  }
  async function remove(item) {
    if (!confirm(`Delete this ${spec.noun}?`)) return;
    const d = await api("DELETE", `${url}/${item.id}`, { ifMatch: item.version });
    if (d.ok) refresh(c, "Deleted."); else slot.replaceChildren(statusLine("error", problemText(d)));
  }
}
