// clients: the client list (search in any script, identifier look-up, paging), a client's page
// (profile and parole requests) and the create/edit forms.
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, table, humanize, nameText, announce, pager, replaceError } from "./dom.js";
import { formatDate } from "./format.js";
import { fieldCatalogue, recordForm, assigneeList } from "./forms.js";
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
  page.append(recordForm({
    fields: catalogue.clients, submitLabel: "Create client",
    save: (body) => api("POST", "/api/v1/clients", { body }),
    onSaved: (client) => { forgetClientNames(); location.hash = `#/clients/${client.id}`; },
    onCancel: () => { location.hash = "#/clients"; },
  }));
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

// A client's page.
export async function renderClient(page, [id], ctx) {
  page.append(statusLine("loading", "Loading…"));
  const [catalogue, r, requests, people] = await Promise.all([fieldCatalogue(), api("GET", `/api/v1/clients/${id}`), listAll(`/api/v1/parole-requests?client_id=${id}`), assigneeList(), programList()]);
  if (!r.ok) { fill(page, h("h1", { text: "Client" }), statusLine("error", r.status === 404 ? "There is no such client." : problemText(r))); return; }
  const client = r.data;
  fill(page);
  const head = h("div", { class: "page-head" }, h("h1", {}, nameText(displayName(client))));
  const body = h("div");
  page.append(h("p", {}, link("#/clients", "← All clients")), head, body);

  function showProfile(record) {
    const actions = h("div", { class: "actions" });
    if (ctx.canWrite) actions.append(h("button", { type: "button", id: "edit-client", text: "Edit client", onclick: () => showEdit(record) }));
    if (ctx.isAdmin) actions.append(h("button", { type: "button", class: "danger", text: "Delete client", onclick: () => remove(record) }));
    fill(body, actions, profile(catalogue.clients, record), requestSection());
  }
  function showEdit(record) {
    fill(body, recordForm({
      fields: catalogue.clients, record, title: "Edit client",
      save: (patch, version) => api("PATCH", `/api/v1/clients/${id}`, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `/api/v1/clients/${id}`); if (again.ok) showEdit(again.data); return; }
        forgetClientNames();
        fill(head, h("h1", {}, nameText(displayName(saved))));
        showProfile(saved);
        document.getElementById("edit-client")?.focus();
        announce("Saved.");
      },
      onCancel: () => { showProfile(record); document.getElementById("edit-client")?.focus(); },
    }), requestSection());
    body.querySelector("input, select, textarea")?.focus();
  }
  async function remove(record) {
    if (!confirm(`Delete ${displayName(record)}? This cannot be undone.`)) return;
    const d = await api("DELETE", `/api/v1/clients/${id}`, { ifMatch: record.version });
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
      link(`#/requests/${p.id}`, `Request ${p.id}`), h("span", { class: `badge stage-${p.stage}`, text: humanize(p.stage) }), humanize(p.parole_type), p.program || "—", who(p.assigned_attorney_id), who(p.assigned_paralegal_id)])));
    if (ctx.canWrite) {
      const slot = h("div");
      const open = h("button", { type: "button", id: "new-request", text: "New parole request", onclick: () => {
        open.hidden = true;
        fill(slot, recordForm({
          fields: catalogue["parole-requests"], fixed: { client_id: Number(id) }, title: "New parole request", submitLabel: "Create request",
          save: (b) => api("POST", "/api/v1/parole-requests", { body: b }),
          onSaved: (pr) => { location.hash = `#/requests/${pr.id}`; },
          onCancel: () => { fill(slot); open.hidden = false; },
        }));
      } });
      sec.append(open, slot);
    }
    return sec;
  }
  showProfile(client);
}
