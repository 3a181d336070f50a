// request: one parole request. Header (stage, type, program, assignees, the request it renews and
// those renewing it), the timeline of its events, a section per kind of event with forms to add
// and edit (sections.js; fees among them, the fee schedule's amount offered when none is typed),
// its deadlines with the rule and citation behind each date (or the program termination that set
// it) and what to do about them, what USCIS's case status says and the events it proposes
// (uscis.js: recorded through the sections' own forms), and its history (audit events).
// `#/requests/{id}/rfes/{rfe}` opens the RFE's edit form at its response date.
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, table, humanize, announce, replaceError } from "./dom.js";
import { formatDate, formatInstant, formatCents, firmToday } from "./format.js";
import { fieldCatalogue, recordForm, assigneeList, withOptions, renewalOptions } from "./forms.js";
import { columnLabel, choiceLabel, entityLabel, eadCategoryLabel } from "./labels.js";
import { card, renderChild } from "./sections.js";
import { statusBadge, deadlineWhat, isOpen, noticeNoun } from "./deadlines.js";
import { clientNames } from "./names.js";
import { uscisSection } from "./uscis.js";
import { profile } from "./clients.js";
import { programList, programOf, programLabel, exceptionText, terminationNote } from "./programs.js";

// The kinds of event, their titles and the columns their tables show; `visibleWhen` names the
// fields a form shows only when the others allow them (see recordForm), `hints(env)` the lines
// under a field, and `cells` how a column reads when it says more than its own value.
const CHILDREN = [
  { collection: "filings", title: "Filings", noun: "filing", columns: ["form", "kind", "filed_on", "receipt_number", "receipt_notice_on", "method", "fee_cents", "decided_on", "outcome"],
    visibleWhen: { ead_category: (v) => v.form === "I-765" },
    cells: { form: (item) => (item.ead_category ? `${item.form} — ${eadCategoryLabel(item.ead_category)}` : item.form) } },
  { collection: "rfes", title: "RFEs and NOIDs", noun: "RFE or NOID", columns: ["kind", "issued_on", "response_due_on", "mailed", "responded_on"] },
  { collection: "interviews", title: "Interviews and biometrics", noun: "appointment", columns: ["kind", "scheduled_at", "location", "outcome"] },
  { collection: "decisions", title: "Decisions", noun: "decision", columns: ["outcome", "decided_on", "valid_from", "valid_until"] },
  { collection: "expirations", title: "Expiry dates", noun: "expiry date", columns: ["kind", "issued_on", "expires_on", "document_number", "ead_category"],
    visibleWhen: { ead_category: (v) => v.kind === "ead" } },
  { collection: "fee-notices", title: "Fees", noun: "fee notice", columns: ["kind", "form", "amount_cents", "issued_on", "due_on", "paid_on"],
    visibleWhen: { form: (v) => v.kind === "filing_fee" },
    hints: ({ feeSchedule }) => ({ amount_cents: (v) => feeHint(feeSchedule, v) }) },
];

// The fee schedule row (GET /api/v1/fee-schedule) a notice of kind (and form) issued on `on`
// takes when no amount is typed, as the server picks it: in force on that date, a row naming
// the form before one for any form, the latest first. null when there is none.
function scheduledFee(schedule, kind, form, on) {
  const rows = (schedule || []).filter((r) => r.kind === kind && (r.form === null || (form && r.form === form))
    && r.effective_from <= on && (!r.effective_to || on < r.effective_to));
  rows.sort((a, b) => (a.form === null) - (b.form === null) || (a.effective_from < b.effective_from ? 1 : a.effective_from > b.effective_from ? -1 : 0));
  return rows[0] || null;
}

// The line under a fee notice's amount while it is empty: what the fee schedule proposes for the
// chosen kind, form and issue date (today until one is typed), with the short name of its source.
function feeHint(schedule, values) {
  if (String(values.amount_cents || "").trim() !== "" || !values.kind) return null;
  if (!schedule) return "The fee schedule could not be read: type the amount from the notice.";
  const on = /^\d{4}-\d{2}-\d{2}$/.test(values.issued_on || "") ? values.issued_on : firmToday();
  const row = scheduledFee(schedule, values.kind, values.form, on);
  if (!row) return values.kind === "filing_fee" && !values.form
    ? "Choose the form to see the fee schedule's amount, or type the amount from the notice."
    : "The fee schedule has no amount for this fee on that date: type the amount from the notice.";
  const source = row.citation_source.split(/[,:(]/)[0].trim();
  return `Leave empty to use the fee schedule: ${formatCents(row.amount_cents)} (${source}, from ${formatDate(row.effective_from)})`;
}

export async function render(page, [id, rfeId], ctx) {
  page.append(statusLine("loading", "Loading…"));
  const base = `/api/v1/parole-requests/${id}`;
  const [catalogue, people, r, , schedule] = await Promise.all([fieldCatalogue(), assigneeList(), api("GET", base), programList(), listAll("/api/v1/fee-schedule")]);
  const feeSchedule = schedule.ok ? schedule.data.items : null;
  if (!r.ok) { fill(page, h("h1", { text: "Parole request" }), statusLine("error", r.status === 404 ? "There is no such parole request." : problemText(r))); return; }
  if (!catalogue) { fill(page, statusLine("error", "The field catalogue could not be loaded.")); return; }
  let request = r.data;
  // The client's name, and the client's requests: those this one may renew, those renewing it.
  const [names, siblings] = await Promise.all([clientNames([request.client_id]), listAll(`/api/v1/parole-requests?client_id=${request.client_id}`)]);
  const clientRequests = siblings.ok ? siblings.data.items : [];
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
        request.expedite ? h("span", { class: "badge", text: "Expedite" }) : null,
        request.renews_request_id ? h("span", { id: "request-renews" }, "Renews ", link(`#/requests/${request.renews_request_id}`, `request ${request.renews_request_id}`)) : null,
        renewedBy()),
      terminationLine(),
      h("p", { class: "muted" }, `Attorney: ${person(request.assigned_attorney_id)} · Paralegal: ${person(request.assigned_paralegal_id)}`));
  }
  // The client's requests that renew this one ("Renewed by request 7").
  function renewedBy() {
    const by = clientRequests.filter((p) => p.renews_request_id === request.id && p.id !== request.id);
    return by.length ? h("span", { id: "request-renewed-by" }, "Renewed by ",
      by.map((p, i) => [i ? ", " : null, link(`#/requests/${p.id}`, `request ${p.id}`)])) : null;
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
        assigned_attorney_id: person, assigned_paralegal_id: person, client_id: () => clientName, program: programLabel,
        renews_request_id: (v) => `Request ${v}` })));
  }
  function showEdit() {
    fill(details, recordForm({
      fields: withOptions(catalogue["parole-requests"], "renews_request_id", renewalOptions(clientRequests, request.id), request.renews_request_id),
      record: request, omit: ["client_id"], title: "Edit parole request",
      save: (patch, version) => api("PATCH", base, { body: patch, ifMatch: version }),
      load: async () => { const now = await api("GET", base); return now.ok ? now.data : null; },
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
    if (!confirm("Delete this parole request? Only a request with no events, and that no other request renews, can be deleted.")) return;
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
  const uscisCard = card(columns, "USCIS case status", "uscis-statuses");
  const childCards = CHILDREN.map((c) => ({ spec: c, ...card(columns, c.title, `section-${c.collection}`) }));
  const history = card(columns, "History", "history");
  // A status changed (recorded, dismissed, opened again): the history says so.
  const uscis = uscisSection({ card: uscisCard, base, ctx, catalogue, childCards, onChanged: () => drawHistory() });

  async function drawTimeline() {
    const t = await api("GET", `${base}/timeline`);
    if (!t.ok) fill(timeline.body, statusLine("error", problemText(t)));
    else if (t.data.items.length === 0) fill(timeline.body, statusLine("empty", "Nothing has happened yet: add a filing below."));
    else fill(timeline.body, h("ol", { class: "timeline", id: "timeline-list" }, t.data.items.map((e) =>
      h("li", { class: `event event-${e.type}` }, h("time", { datetime: e.date, text: e.at ? formatInstant(e.at) : formatDate(e.date) }), eventTitle(e)))));
  }
  // An event's title. A USCIS status (checked at `at`) has no record page: it leads to the
  // status in the USCIS section, on this page (the address stays the request's).
  function eventTitle(e) {
    if (e.type !== "uscis_status") return h("span", { class: "event-title", text: e.title });
    return h("a", { class: "event-title", href: "#uscis-statuses", onclick: (ev) => { ev.preventDefault(); uscis.show(e.resource_id); } }, e.title);
  }
  async function drawDeadlines() {
    // A moot deadline names the decision that settled it: its date, from the request's decisions.
    const [d, decisions] = await Promise.all([listAll(`${base}/deadlines`), listAll(`${base}/decisions`)]);
    const decided = new Map(decisions.ok ? decisions.data.items.map((item) => [item.id, item.decided_on]) : []);
    // An RFE or NOID response date the server computed: offer the notice's edit form.
    const editNotice = (x) => (ctx.canWrite && x.source.resource === "rfes"
      ? h("button", { type: "button", class: "small", text: `Edit the ${noticeNoun(x)}`, "aria-label": `Enter the printed due date of ${noticeNoun(x)} ${x.source.id}`,
        onclick: () => openChildEdit("rfes", x.source.id, "response_due_on") })
      : null);
    if (!d.ok) fill(deadlines.body, statusLine("error", problemText(d)));
    else if (d.data.items.length === 0) fill(deadlines.body, statusLine("empty", "No deadline follows from the events so far."));
    else fill(deadlines.body, table(null, ["Due", "What", "Status", "Rule and citation"], d.data.items.map((x) => [
      h("span", { class: x.status === "overdue" ? "overdue" : "", text: x.due_at ? formatInstant(x.due_at) : formatDate(x.due_on) }),
      deadlineWhat(x, { editNotice: isOpen(x) && x.basis === "computed_maximum" ? editNotice(x) : null }),
      statusBadge(x, (decisionId) => decided.get(decisionId) || null),
      x.program_code ? terminationNote(x)
        : h("span", { class: "rule" }, h("strong", { text: x.rule.code }), ` — ${x.rule.citation_source} (${formatDate(x.rule.citation_date)})`)]), { id: "deadline-table" }));
  }
  // Open the edit form of one record of a section, focused on one of its fields.
  async function openChildEdit(collection, childId, fieldName) {
    const c = childCards.find((x) => x.spec.collection === collection);
    if (c && c.openEdit) await c.openEdit({ id: childId }, fieldName);
  }
  async function drawHistory() {
    const e = await listAll(`${base}/history`);
    if (!e.ok) fill(history.body, statusLine("error", problemText(e)));
    else fill(history.body, h("ol", { class: "history" }, e.data.items.slice().reverse().map((ev) => h("li", {},
      h("time", { datetime: ev.at, text: formatInstant(ev.at) }), " ", h("strong", { text: ev.actor.label || ev.actor.type }), ` ${humanize(ev.action).toLowerCase()} ${entityLabel(ev.entity)} ${ev.entity_id || ""}`,
      ev.changes && Object.keys(ev.changes).length ? h("span", { class: "muted", text: ` (${Object.keys(ev.changes).map(columnLabel).join(", ")})` }) : null))));
  }
  async function drawChild(c) {
    renderChild(c, await listAll(`${base}/${c.spec.collection}`), catalogue[c.spec.collection], base, ctx, refresh, { feeSchedule });
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
  await Promise.all([drawTimeline(), drawDeadlines(), drawHistory(), uscis.draw(), ...childCards.map(drawChild)]);
  // Came to enter an RFE's printed due date (Today links here): its form, then the plain address.
  if (rfeId) {
    window.history.replaceState(null, "", `#/requests/${id}`); // (`history` here is the History card)
    await openChildEdit("rfes", Number(rfeId), "response_due_on");
  }
}
