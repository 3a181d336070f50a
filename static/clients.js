// clients: the client list (search in any script, identifier look-up, paging), a client's page
// (profile, parole requests, the client's own deadlines, travel history) and the create/edit forms.
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, table, humanize, nameText, announce, pager, replaceError } from "./dom.js";
import { formatDate } from "./format.js";
import { fieldCatalogue, recordForm, assigneeList, withOptions, renewalOptions } from "./forms.js";
import { card, renderChild } from "./sections.js";
import { statusBadge, deadlineWhat, isOpen, isClientsOwn } from "./deadlines.js";
import { fieldLabel, choiceLabel, queryProblemText } from "./labels.js";
import { forgetClientNames, displayName } from "./names.js";
import { programList } from "./programs.js";

// The list: query state lives in the hash's companion sessionStorage so "back" returns to it.
export async function renderList(page, params, ctx) {
  const state = JSON.parse(sessionStorage.getItem("pt-clients") || '{"q":"","field":"q","cursors":[null]}');
  page.append(h("div", { class: "page-head" }, h("h1", { text: "Clients" }),
    ctx.canWrite ? h("a", { class: "button primary", href: "#/clients/new", text: "New client" }) : null));
  const fieldSelect = h("select", { id: "client-search-field" },
    h("option", { value: "q", text: "Name (any script)" }), h("option", { value: "a_number", text: "A-number (exact)" }), h("option", { value: "passport_number", text: "Passport number (exact)" }));
  fieldSelect.value = state.field;
  const input = h("input", { id: "client-search", type: "search", value: state.q, placeholder: "e.g. Шевченко or garcia" });
  const citizenship = h("input", { id: "client-citizenship", size: 3, maxlength: 2, value: state.citizenship || "", autocomplete: "off" });
  const form = h("form", { class: "search filters", role: "search", "aria-label": "Find clients" },
    h("span", { class: "filter" }, h("label", { for: "client-search-field", text: "Search by" }), fieldSelect),
    h("span", { class: "filter grow" }, h("label", { for: "client-search", text: "Name or number" }), input),
    h("span", { class: "filter" }, h("label", { for: "client-citizenship", text: "Citizenship" }), citizenship),
    h("button", { type: "submit", text: "Search" }));
  const results = h("div");
  page.append(form, results);

  async function load() {
    // Remember a name search for "back"; never an A-number or passport number.
    sessionStorage.setItem("pt-clients", JSON.stringify(state.field === "q" ? state : { ...state, q: "", field: "q", cursors: [null] }));
    fill(results, statusLine("loading", "Loading…"));
    const cursor = state.cursors[state.cursors.length - 1];
    const query = new URLSearchParams({ limit: "25" });
    if (state.q.trim()) query.set(state.field, state.q.trim());
    if ((state.citizenship || "").trim()) query.set("citizenship", state.citizenship.trim());
    if (cursor) query.set("cursor", cursor);
    const r = await api("GET", `/api/v1/clients?${query}`);
    if (!r.ok) {
      fill(results, statusLine("error", queryProblemText(r)));
      return;
    }
    const items = r.data.items;
    if (items.length === 0) { fill(results, statusLine("empty", state.q || state.citizenship ? "No client matches." : "No clients yet.")); return; }
    fill(results, table(null, ["Name", "Other names", "Born in", "Citizenship", "A-number"], items.map((c) => [
      h("a", { href: `#/clients/${c.id}` }, nameText(displayName(c))), h("bdi", { text: (c.other_names || []).join(", ") }), c.country_of_birth || "", c.citizenship || "", c.a_number || ""]), { id: "client-table" }), pager(state.cursors, r.data.next_cursor, load));
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); state.q = input.value; state.field = fieldSelect.value; state.citizenship = citizenship.value; state.cursors = [null]; load(); });
  await load();
}

// The create form.
export async function renderNew(page, params, ctx) {
  page.append(h("h1", { text: "New client" }));
  if (!ctx.canWrite) { page.append(statusLine("error", "Your role can read clients but not add them.")); return; }
  const catalogue = await fieldCatalogue();
  if (!catalogue) { page.append(statusLine("error", "The form could not be loaded.")); return; }
  const warning = h("div", { id: "duplicate-warning", role: "alert" });
  const form = recordForm({
    fields: catalogue.clients, submitLabel: "Create client", hints: clientHints(null), omit: ["distinct_from"],
    save: checkedSave(warning, (body) => api("POST", "/api/v1/clients", { body }), () => form.requestSubmit()),
    onSaved: (client) => { forgetClientNames(); location.hash = `#/clients/${client.id}`; },
    onCancel: () => { location.hash = "#/clients"; },
  });
  page.append(warning, form);
}

// A client save that understands duplicates: a 409 naming other clients draws, in `warning`,
// who they are (links open them) and, for a possible duplicate (same date of birth, a close
// name), a button that confirms they are different people: it saves again (resubmit) with
// their ids in distinct_from. Returns the save function a recordForm takes.
function checkedSave(warning, send, resubmit, kept = []) {
  let confirmed = [...kept];
  return async (body, version) => {
    const r = await send(confirmed.length ? { ...body, distinct_from: [...new Set([...(body.distinct_from || kept), ...confirmed])] } : body, version);
    fill(warning);
    if (r.status !== 409 || !Array.isArray(r.problem.duplicates)) return r;
    const possible = String(r.problem.type).endsWith(":possible-duplicate");
    const others = r.problem.duplicates;
    const items = others.map((d) => h("li", {}, h("a", { href: `#/clients/${d.client_id}`, target: "_blank", rel: "noopener", text: d.label }),
      d.matched === "name_and_date_of_birth" ? " — same date of birth, a similar name" : ` — already has this ${d.matched === "a_number" ? "A-number" : "passport number"}`));
    fill(warning, h("div", { class: "card warning" },
      h("h2", { text: possible ? "This may be a client you already have" : "This identifier is already on another client" }),
      h("ul", {}, items),
      possible
        ? h("p", {}, "Open the client to check (it opens in a new tab). If they are different people: ",
          h("button", { type: "button", id: "not-duplicate", class: "primary", text: "They are different people — save", onclick: () => {
            confirmed = [...confirmed, ...others.map((d) => d.client_id)];
            resubmit();
          } }))
        : h("p", { text: "Two clients cannot share an A-number or a passport number: correct it, or open the client who has it." })));
    warning.querySelector("h2").tabIndex = -1;
    warning.querySelector("h2").focus();
    return { ...r, problem: { ...r.problem, detail: possible ? "it may be a client you already have (see above)" : "this identifier is already on another client (see above)", errors: r.problem.errors || [] } };
  };
}

// A definition list of a record's fields in catalogue order.
export function profile(fields, record, formatters = {}) {
  const dl = h("dl", { class: "profile" });
  for (const f of fields) {
    let v = record[f.name];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) v = "—";
    else if (formatters[f.name]) v = formatters[f.name](v);
    else if (f.type === "date") v = formatDate(v);
    else if (f.type === "boolean") v = v ? "Yes" : "No";
    else if (f.type === "enum") v = choiceLabel(v);
    else if (Array.isArray(v)) v = v.join(", ");
    dl.append(h("dt", { text: fieldLabel(f.name) }), h("dd", { class: f.name === "notes" || f.name === "address" ? "prewrap" : "", text: v }));
  }
  return dl;
}

// The lines under the client form's address date: on create, what the date is for; on edit,
// what leaving it alone does when the address changes.
function clientHints(record) {
  return { address_since: () => (record
    ? "Changing the address without changing this date counts the move from today: the change-of-address report (AR-11) is then due in 10 days."
    : "Only for a client who moved recently: the change-of-address report (AR-11) is due 10 days after the move.") };
}

// The client's travel history: entries into the US, as on the I-94.
const ENTRIES = { collection: "entries", title: "Travel history", noun: "entry", columns: ["arrived_on", "departed_on", "port", "class_of_admission"] };

// A client's page: the profile (or its edit form), the client's parole requests, the client's own
// deadlines (asylum one-year, change-of-address report, passport: GET /clients/{id}/deadlines,
// with or without a parole request) and the travel history they follow from.
export async function renderClient(page, [id], ctx) {
  page.append(statusLine("loading", "Loading…"));
  const base = `/api/v1/clients/${id}`;
  const [catalogue, r, requests, people] = await Promise.all([fieldCatalogue(), api("GET", base), listAll(`/api/v1/parole-requests?client_id=${id}`), assigneeList(), programList()]);
  if (!r.ok) { fill(page, h("h1", { text: "Client" }), statusLine("error", r.status === 404 ? "There is no such client." : problemText(r))); return; }
  if (!catalogue) { fill(page, statusLine("error", "The field catalogue could not be loaded.")); return; }
  let client = r.data;
  fill(page);
  const head = h("div", { class: "page-head" }, h("h1", {}, nameText(displayName(client))));
  const body = h("div");
  const sections = h("div");
  page.append(h("p", {}, link("#/clients", "← All clients")), head, body, sections);

  function showProfile(record) {
    const actions = h("div", { class: "actions" });
    if (ctx.canWrite) actions.append(h("button", { type: "button", id: "edit-client", text: "Edit client", onclick: () => showEdit(record) }));
    if (ctx.isAdmin) actions.append(h("button", { type: "button", class: "danger", text: "Delete client", onclick: () => remove(record) }));
    fill(body, actions, profile(catalogue.clients, record, { distinct_from: (ids) => ids.map((other) => `client #${other}`).join(", ") }));
  }
  function showEdit(record) {
    const warning = h("div", { id: "duplicate-warning", role: "alert" });
    const form = recordForm({
      fields: catalogue.clients, record, title: "Edit client", hints: clientHints(record), omit: ["distinct_from"],
      save: checkedSave(warning, (patch, version) => api("PATCH", base, { body: patch, ifMatch: version }),
        () => form.requestSubmit(), record.distinct_from || []),
      load: async () => { const now = await api("GET", base); return now.ok ? now.data : null; },
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", base); if (again.ok) showEdit(again.data); return; }
        client = saved;
        forgetClientNames();
        fill(head, h("h1", {}, nameText(displayName(saved))));
        showProfile(saved);
        await drawDeadlines(); // a move or the asylum tracking changes them
        document.getElementById("edit-client")?.focus();
        announce("Saved.");
      },
      onCancel: () => { showProfile(record); document.getElementById("edit-client")?.focus(); },
    });
    fill(body, warning, form);
    body.querySelector("input, select, textarea")?.focus();
  }
  async function remove(record) {
    if (!confirm(`Delete ${displayName(record)}? This cannot be undone.`)) return;
    const d = await api("DELETE", base, { ifMatch: record.version });
    if (d.ok) { forgetClientNames(); location.hash = "#/clients"; return; }
    replaceError(body, problemText(d));
  }
  function requestSection() {
    const who = (uid) => (people.find((p) => p.id === uid) || {}).name || (uid ? `User ${uid}` : "—");
    const sectionBody = h("div");
    const sec = h("section", { class: "card", "aria-labelledby": "requests-title" }, h("h2", { id: "requests-title", text: "Parole requests" }), sectionBody);
    if (!requests.ok) fill(sectionBody, statusLine("error", problemText(requests)));
    else if (requests.data.items.length === 0) fill(sectionBody, statusLine("empty", "No parole request yet."));
    else fill(sectionBody, table(null, ["Request", "Stage", "Type", "Program", "Attorney", "Paralegal"], requests.data.items.map((p) => [
      link(`#/requests/${p.id}`, `Request ${p.id}`), h("span", { class: `badge stage-${p.stage}`, text: humanize(p.stage) }), choiceLabel(p.parole_type), p.program || "—", who(p.assigned_attorney_id), who(p.assigned_paralegal_id)])));
    if (ctx.canWrite) {
      const slot = h("div");
      const open = h("button", { type: "button", id: "new-request", text: "New parole request", onclick: () => {
        open.hidden = true;
        fill(slot, recordForm({
          fields: withOptions(catalogue["parole-requests"], "renews_request_id", renewalOptions(requests.ok ? requests.data.items : [])),
          fixed: { client_id: Number(id) }, title: "New parole request", submitLabel: "Create request",
          save: (b) => api("POST", "/api/v1/parole-requests", { body: b }),
          onSaved: (pr) => { location.hash = `#/requests/${pr.id}`; },
          onCancel: () => { fill(slot); open.hidden = false; },
        }));
      } });
      sec.append(open, slot);
    }
    return sec;
  }
  sections.append(requestSection());
  const deadlines = card(sections, "Deadlines", "client-deadlines");
  const entries = { spec: ENTRIES, ...card(sections, ENTRIES.title, `section-${ENTRIES.collection}`) };

  // The client's own deadlines (they stand even before the client has a parole request).
  async function drawDeadlines() {
    const intro = h("p", { class: "muted", text: "The client's own deadlines, the same on each of the client's parole requests (each request's page has its own as well)." });
    const d = await listAll(`${base}/deadlines`);
    if (!d.ok) { fill(deadlines.body, statusLine("error", problemText(d))); return; }
    const own = d.data.items.filter(isClientsOwn);
    const asylum = own.find((x) => x.kind === "asylum_one_year");
    const notes = [];
    if (!client.track_asylum_deadline) notes.push("The asylum one-year deadline is not tracked for this client (see “Track the asylum one-year deadline” in the client's details).");
    else if (!asylum) notes.push("The asylum one-year deadline counts from the client's last arrival: record it under Travel history.");
    else if (isOpen(asylum)) notes.push("Parole counts as an exception to the one-year rule only if the I-589 is filed within a reasonable time after the parole ends (8 CFR 208.4(a)(5)(iv)): in practice, file before the parole ends.");
    fill(deadlines.body, intro,
      own.length === 0 ? statusLine("empty", "No deadline of the client's own so far.")
        : table(null, ["Due", "What", "Status", "Citation"], own.map((x) => [
          h("span", { class: x.status === "overdue" ? "overdue" : "", text: formatDate(x.due_on) }),
          deadlineWhat(x, { ownNote: false }), statusBadge(x),
          h("span", { class: "rule", text: `${x.rule.citation_source} (${formatDate(x.rule.citation_date)})` })]), { id: "client-deadline-table" }),
      notes.map((t) => h("p", { class: "muted deadline-note", text: t })));
  }
  // The travel history, oldest arrival first.
  async function drawEntries() {
    const list = await listAll(`${base}/entries`);
    if (list.ok) list.data.items.sort((a, b) => (a.arrived_on < b.arrived_on ? -1 : a.arrived_on > b.arrived_on ? 1 : a.id - b.id));
    renderChild(entries, list, catalogue.entries || [], base, ctx, refresh, {});
  }
  // After an entry is saved or deleted: the deadlines and the travel history again, the scroll
  // position kept and focus on the travel history's heading.
  async function refresh(changed, message) {
    const y = window.scrollY;
    await Promise.all([drawDeadlines(), changed ? drawEntries() : null]);
    window.scrollTo(0, y);
    const heading = changed && document.getElementById(`${changed.sec.id}-title`);
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
    announce(message);
  }
  showProfile(client);
  await Promise.all([drawDeadlines(), drawEntries()]);
}
