// admin: users, API keys (the secret shown once), webhooks (webhooks.js), deadline rules, parole
// programs (their terminations and exceptions), the fee schedule and the audit trail. Only an
// admin sees these pages; the server refuses everyone else (403) whatever the page shows.
import { api, problemText } from "./api.js";
import { h, fill, statusLine, link, table, humanize, pager, copyButton } from "./dom.js";
import { formatDate, formatInstant, formatCents, localInputToInstant } from "./format.js";
import { fieldCatalogue, recordForm, resetFormCaches, roleNames } from "./forms.js";
import { columnLabel, entityLabel, queryProblemText, choiceLabel, actionLabel, changeText } from "./labels.js";
import { exceptionsControl, exceptionsSummary } from "./programs.js";
import { webhooks } from "./webhooks.js";

const TABS = [["users", "Users"], ["keys", "API keys"], ["webhooks", "Webhooks"], ["rules", "Deadline rules"], ["programs", "Programs"], ["fees", "Fee schedule"], ["audit", "Audit trail"], ["settings", "Settings"]];

// Field descriptions of the admin forms (the catalogue covers case records only; the role
// choices are its roles, filled in by users()).
const USER_FIELDS = [
  { name: "email", type: "text", required: true, single_line: true, max_length: 254 },
  { name: "name", type: "text", required: true, single_line: true, max_length: 200 },
  { name: "role", type: "enum", required: true, choices: [], default: "paralegal" },
  { name: "password", type: "text", required: true, single_line: true, max_length: 1024 },
];
// Fields typed as secrets (not shown on screen, not remembered by the browser as text).
const SECRET_FIELDS = ["password"];
const USER_EDIT_FIELDS = [USER_FIELDS[1], USER_FIELDS[2], { name: "disabled", type: "boolean", required: false }];
const KEY_FIELDS = [
  { name: "name", type: "text", required: true, single_line: true, max_length: 200 },
  { name: "scopes", type: "enum", required: true, choices: ["read", "read_write", "metrics"], default: "read" },
];
const SETTINGS_FIELDS = [
  { name: "require_totp_for_all", type: "boolean", required: false },
  { name: "session_idle_minutes", type: "integer", required: true, minimum: 5, maximum: 480 },
  { name: "session_absolute_hours", type: "integer", required: true, minimum: 1, maximum: 72 },
];
const RULE_FIELDS = [
  { name: "description", type: "text", required: true, max_length: 2000 },
  { name: "days", type: "integer", required: false, minimum: 0, maximum: 3650 },
  { name: "mailed_extra_days", type: "integer", required: false, minimum: 0, maximum: 30 },
  { name: "opens_days_before", type: "integer", required: false, minimum: 0, maximum: 3650 },
  { name: "lead_times", type: "integer_array", required: false },
  { name: "enabled", type: "boolean", required: true },
  { name: "effective_from", type: "date", required: true },
  { name: "effective_to", type: "date", required: false },
  { name: "citation_source", type: "text", required: true, single_line: true, max_length: 500 },
  { name: "citation_date", type: "date", required: true },
];
// A program's fields (the exceptions' form choices are the catalogue's filing forms, filled in
// by programs()); the code is set on create only.
const PROGRAM_FIELDS = [
  { name: "code", type: "text", required: true, single_line: true, max_length: 32 },
  { name: "name", type: "text", required: true, single_line: true, max_length: 200 },
  { name: "aliases", type: "text_array", required: false },
  { name: "terminated_on", type: "date", required: false },
  { name: "citation_source", type: "text", required: true, single_line: true, max_length: 500 },
  { name: "citation_date", type: "date", required: true },
  { name: "exceptions", type: "exceptions", required: false, control: null },
];
// A fee schedule row's fields (the form choices are the catalogue's filing forms, filled in by
// fees(); the form is shown for a filing fee only); the code is set on create only. The amount
// is typed in dollars, like every `_cents` field.
const FEE_FIELDS = [
  { name: "code", type: "text", required: true, single_line: true, max_length: 32 },
  { name: "kind", type: "enum", required: true, choices: ["parole_fee", "filing_fee", "other"], default: "filing_fee" },
  { name: "form", type: "enum", required: false, choices: [] },
  { name: "amount_cents", type: "integer", required: true, minimum: 0, maximum: 100000000 },
  { name: "effective_from", type: "date", required: true },
  { name: "effective_to", type: "date", required: false },
  { name: "citation_source", type: "text", required: true, single_line: true, max_length: 500 },
  { name: "citation_date", type: "date", required: true },
];
const FEE_VISIBLE = { form: (v) => v.kind === "filing_fee" };

// The fee a row prices, in words: "Parole fee", "Filing fee I-131", "Other".
function feeWords(row) {
  if (row.kind === "filing_fee") return `Filing fee ${row.form || "(any form)"}`;
  return row.form ? `${choiceLabel(row.kind)} ${row.form}` : choiceLabel(row.kind);
}

export async function render(page, [tab, sub], ctx) {
  page.append(h("h1", { text: "Administration" }),
    h("nav", { class: "tabs", "aria-label": "Administration" }, TABS.map(([id, label]) => h("a", { href: `#/admin/${id}`, "aria-current": id === tab ? "page" : null, text: label }))));
  const body = h("div");
  page.append(body);
  if (!ctx.isAdmin) { body.append(statusLine("error", "Only an administrator can open these pages.")); return; }
  await ({ users, keys, webhooks, rules, programs, fees, audit, settings })[tab](body, ctx, sub); // sub: an endpoint's id (its delivery log)
}

// A simple paged list: load(cursor) -> rows.
async function pagedTable(body, path, headers, toRow, tableId) {
  const cursors = [null];
  const out = h("div");
  body.append(out);
  async function load() {
    fill(out, statusLine("loading", "Loading…"));
    const cursor = cursors[cursors.length - 1];
    const r = await api("GET", `${path}${path.includes("?") ? "&" : "?"}limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!r.ok) { fill(out, statusLine("error", queryProblemText(r))); return; }
    if (r.data.items.length === 0) { fill(out, statusLine("empty", "Nothing here.")); return; }
    fill(out, table(null, headers, r.data.items.map(toRow), { id: tableId }), pager(cursors, r.data.next_cursor, load));
  }
  await load();
  return load;
}

async function users(body, ctx) {
  USER_FIELDS[2].choices = roleNames(await fieldCatalogue());
  const slot = h("div");
  let reload = null;
  const add = h("button", { type: "button", class: "primary", text: "Add user", onclick: () => {
    fill(slot, recordForm({
      fields: USER_FIELDS, title: "New user", submitLabel: "Create user",
      save: (b) => api("POST", "/api/v1/users", { body: b }),
      onSaved: () => { resetFormCaches(); fill(slot, statusLine("status", "User created. Attorneys and admins set up an authenticator app at first sign-in.")); reload(); },
      onCancel: () => fill(slot) }));
    for (const name of SECRET_FIELDS) { const input = slot.querySelector(`[name="${name}"]`); input.type = "password"; input.autocomplete = "new-password"; }
  } });
  body.append(add, slot);
  reload = await pagedTable(body, "/api/v1/users", ["Name", "E-mail", "Role", "Authenticator", "Status", ""], (u) => [
    u.name, u.email, humanize(u.role), u.totp_enabled ? "Set up" : "Not set up", u.disabled ? "Disabled" : "Active",
    h("span", { class: "actions" },
      h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit ${u.name}`, onclick: () => editUser(u) }),
      h("button", { type: "button", class: "small", text: "Sessions", "aria-label": `Sessions of ${u.name}`, onclick: () => showSessions(u) }))], "user-table");
  // Where a user is signed in, and ending those sessions (a lost laptop, a shared computer).
  async function showSessions(u) {
    const path = `/api/v1/users/${u.id}/sessions`;
    const r = await api("GET", path);
    if (!r.ok) { fill(slot, statusLine("error", problemText(r))); return; }
    const end = async (url, question) => {
      if (!confirm(question)) return;
      const done = await api("DELETE", url);
      if (done.ok) await showSessions(u); else fill(slot, statusLine("error", problemText(done)));
    };
    const rows = r.data.items.map((s) => [formatInstant(s.created_at), formatInstant(s.last_seen_at), formatInstant(s.expires_at),
      humanize(s.second_factor) + (s.current ? " (this session)" : ""),
      h("button", { type: "button", class: "small danger", text: "End", "aria-label": `End the session started ${formatInstant(s.created_at)}`,
        onclick: () => end(`${path}/${s.id}`, s.current ? "End your own session? You will be signed out." : `End this session of ${u.name}?`) })]);
    fill(slot, h("section", { class: "card", id: "user-sessions", "aria-label": `Sessions of ${u.name}` },
      h("h2", { text: `Sessions of ${u.name}`, tabindex: "-1" }),
      rows.length ? table(null, ["Signed in", "Last seen", "Ends", "Second factor", ""], rows, { id: "session-table" }) : statusLine("empty", "No one is signed in as this user."),
      h("p", {},
        rows.length ? h("button", { type: "button", class: "danger", text: "End all sessions", onclick: () => end(path, `End every session of ${u.name}? They are signed out everywhere at once.`) }) : null,
        h("button", { type: "button", text: "Close", onclick: () => fill(slot) }))));
    slot.querySelector("h2").focus();
  }
  function editUser(u) {
    fill(slot, recordForm({
      fields: USER_EDIT_FIELDS, record: u, title: `Edit ${u.name}`,
      save: (patch, version) => {
        // Changing one's own role or disabling oneself ends one's own session: ask first.
        const own = u.id === ctx.session.user.id && ("role" in patch || "disabled" in patch);
        if (own && !confirm("This changes your own account: your session will end. Continue?")) {
          return Promise.resolve({ ok: false, status: 0, problem: { detail: "Not saved: you cancelled.", errors: [] } });
        }
        return api("PATCH", `/api/v1/users/${u.id}`, { body: patch, ifMatch: version });
      },
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `/api/v1/users/${u.id}`); if (again.ok) editUser(again.data); return; }
        resetFormCaches(); // assignee names and roles
        fill(slot); reload();
      },
      onCancel: () => fill(slot) }));
    slot.querySelector("input, select")?.focus();
  }
}

async function keys(body) {
  const slot = h("div", { "aria-live": "polite" });
  let reload = null;
  const add = h("button", { type: "button", class: "primary", text: "Create API key", onclick: () => fill(slot, recordForm({
    fields: KEY_FIELDS, title: "New API key", submitLabel: "Create key",
    // "metrics": a monitoring key, reading GET /metrics and nothing else.
    save: (b) => api("POST", "/api/v1/api-keys", { body: { name: b.name, scopes: b.scopes === "read_write" ? ["read", "write"] : b.scopes === "metrics" ? ["metrics"] : ["read"] } }),
    onSaved: (k) => {
      const field = h("input", { id: "new-key", type: "text", readonly: true, value: k.key, "aria-label": "The new API key" });
      fill(slot, h("div", { class: "card secret" }, h("p", { text: "Copy this key now: it is shown only once and cannot be recovered." }), field,
        copyButton(field, "Copy"),
        h("button", { type: "button", text: "Done", onclick: () => fill(slot) })));
      reload();
    },
    onCancel: () => fill(slot) })) });
  body.append(add, slot);
  reload = await pagedTable(body, "/api/v1/api-keys", ["Name", "Prefix", "Scopes", "Created", "Last used", ""], (k) => [
    k.name, k.prefix, k.scopes.join(", "), formatInstant(k.created_at), k.last_used_at ? formatInstant(k.last_used_at) : "never",
    h("button", { type: "button", class: "small danger", text: "Revoke", "aria-label": `Revoke ${k.name}`, onclick: async () => {
      if (!confirm(`Revoke the key "${k.name}"? Systems using it stop working at once.`)) return;
      const r = await api("DELETE", `/api/v1/api-keys/${k.id}`);
      if (r.ok) { fill(slot); reload(); } else fill(slot, statusLine("error", problemText(r)));
    } })], "key-table");
}

async function rules(body) {
  const slot = h("div");
  body.append(h("p", { class: "muted", text: "Each deadline is computed from the rule in force on the date of its event. Change a rule's dates rather than its numbers when the law changes, so past deadlines keep their basis." }), slot);
  let reload = null;
  reload = await pagedTable(body, "/api/v1/deadline-rules", ["Code", "Kind", "Program", "Days", "In force", "Citation", ""], (r) => [
    r.code, humanize(r.kind), r.program || "all", r.days === null ? "—" : String(r.days),
    `${r.enabled ? "" : "(disabled) "}${formatDate(r.effective_from)} – ${r.effective_to ? formatDate(r.effective_to) : "now"}`,
    `${r.citation_source} (${formatDate(r.citation_date)})`,
    h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit rule ${r.code}`, onclick: () => editRule(r) })], "rule-table");
  function editRule(r) {
    fill(slot, recordForm({ fields: RULE_FIELDS, record: r, title: `Edit rule ${r.code}`,
      save: (patch, version) => api("PATCH", `/api/v1/deadline-rules/${r.id}`, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `/api/v1/deadline-rules/${r.id}`); if (again.ok) editRule(again.data); return; }
        fill(slot); reload();
      },
      onCancel: () => fill(slot) }));
    slot.scrollIntoView();
    slot.querySelector("input, select, textarea")?.focus();
  }
}

// Parole programs: what a request's program may be, and a program's termination (the date parole
// under it ends, the notice, its exceptions), which sets the parole end of its requests.
async function programs(body) {
  const filingForms = ((await fieldCatalogue())?.filings || []).find((f) => f.name === "form")?.choices || [];
  PROGRAM_FIELDS[6].control = exceptionsControl(filingForms);
  const slot = h("div");
  let reload = null;
  const add = h("button", { type: "button", class: "primary", id: "add-program", text: "Add program", onclick: () => {
    fill(slot, recordForm({ fields: PROGRAM_FIELDS, title: "New program", submitLabel: "Create program",
      save: (b) => api("POST", "/api/v1/programs", { body: b }),
      onSaved: (p) => { fill(slot, statusLine("status", `Program ${p.code} created.`)); reload(); },
      onCancel: () => fill(slot) }));
    slot.querySelector("input, select, textarea")?.focus();
  } });
  body.append(h("p", { class: "muted", text: "A parole request names one of these programs. When DHS terminates a program, set the date parole under it ends and cite the notice: the parole of each approved request of the program then ends on that date, unless one of the notice's exceptions applies. Saving recomputes the deadlines of the program's requests." }),
    add, slot);
  reload = await pagedTable(body, "/api/v1/programs", ["Code", "Name", "Terminated on", "Citation", "Exceptions", ""], (p) => [
    p.code, p.name, p.terminated_on ? formatDate(p.terminated_on) : "Not terminated",
    `${p.citation_source} (${formatDate(p.citation_date)})`, exceptionsSummary(p.exceptions),
    h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit program ${p.code}`, onclick: () => editProgram(p) })], "program-table");
  function editProgram(p) {
    const form = recordForm({ fields: PROGRAM_FIELDS, record: p, omit: ["code"], title: `Edit program ${p.code}`,
      save: (patch, version) => api("PATCH", `/api/v1/programs/${p.id}`, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `/api/v1/programs/${p.id}`); if (again.ok) editProgram(again.data); return; }
        fill(slot, statusLine("status", `Program ${saved.code} saved; the deadlines of its requests follow.`));
        reload();
      },
      onCancel: () => fill(slot) });
    form.querySelector("h3").after(h("p", { class: "muted", text: `Code ${p.code}: it cannot change, since requests and deadline rules name the program by it.` }));
    fill(slot, form);
    slot.scrollIntoView();
    slot.querySelector("input, select, textarea")?.focus();
  }
}

// The fee schedule: what each fee costs between two dates. A fee notice written without an
// amount takes the row in force on its issue date; notices already written keep their amounts.
async function fees(body) {
  FEE_FIELDS[2].choices = ((await fieldCatalogue())?.filings || []).find((f) => f.name === "form")?.choices || [];
  const slot = h("div");
  let reload = null;
  const add = h("button", { type: "button", class: "primary", id: "add-fee", text: "Add fee", onclick: () => {
    fill(slot, recordForm({ fields: FEE_FIELDS, title: "New fee", submitLabel: "Create fee", visibleWhen: FEE_VISIBLE,
      save: (b) => api("POST", "/api/v1/fee-schedule", { body: b }),
      onSaved: (f) => { fill(slot, statusLine("status", `Fee ${f.code} created.`)); reload(); },
      onCancel: () => fill(slot) }));
    slot.querySelector("input, select, textarea")?.focus();
  } });
  body.append(h("p", { class: "muted", text: "A fee notice saved without an amount takes the amount of the row in force on its issue date for its kind (a row naming the notice's form wins over one for any form). When a fee changes, end the old row and add a new one from the new date, so notices already written keep their basis." }),
    add, slot);
  reload = await pagedTable(body, "/api/v1/fee-schedule", ["Code", "Fee", "Amount", "In force", "Citation", ""], (f) => [
    f.code, feeWords(f), h("span", { class: "money", text: formatCents(f.amount_cents) }),
    `${formatDate(f.effective_from)} – ${f.effective_to ? formatDate(f.effective_to) : "now"}`,
    `${f.citation_source} (${formatDate(f.citation_date)})`,
    h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit fee ${f.code} from ${formatDate(f.effective_from)}`, onclick: () => editFee(f) })], "fee-schedule-table");
  function editFee(f) {
    const form = recordForm({ fields: FEE_FIELDS, record: f, omit: ["code"], title: `Edit fee ${f.code}`, visibleWhen: FEE_VISIBLE,
      save: (patch, version) => api("PATCH", `/api/v1/fee-schedule/${f.id}`, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) { const again = await api("GET", `/api/v1/fee-schedule/${f.id}`); if (again.ok) editFee(again.data); return; }
        fill(slot, statusLine("status", `Fee ${saved.code} saved. Fee notices already written keep their amounts.`));
        reload();
      },
      onCancel: () => fill(slot) });
    form.querySelector("h3").after(h("p", { class: "muted", text: `Code ${f.code}: it cannot change, since the audit trail and citations name the row by it.` }));
    fill(slot, form);
    slot.scrollIntoView();
    slot.querySelector("input, select, textarea")?.focus();
  }
}

async function audit(body) {
  const entity = h("select", { id: "audit-entity" }, ["", "clients", "parole_requests", "filings", "rfes", "interviews", "decisions", "expirations", "fee_notices", "users", "api_keys", "settings", "deadline_rules", "programs", "fee_schedule", "webhook_endpoints", "webhook_deliveries", "uscis_statuses", "deadlines"].map((e) => h("option", { value: e, text: e ? entityLabel(e).replace(/^./, (c) => c.toUpperCase()) : "Any record" })));
  const from = h("input", { id: "audit-from", type: "date" });
  const to = h("input", { id: "audit-to", type: "date" });
  const out = h("div");
  const form = h("form", { class: "search" }, h("label", { for: "audit-entity", text: "Record type" }), entity, h("label", { for: "audit-from", text: "From" }), from, h("label", { for: "audit-to", text: "To" }), to, h("button", { type: "submit", text: "Show" }));
  body.append(form, out);
  async function show() {
    const q = new URLSearchParams({ order: "desc" }); // newest first
    if (entity.value) q.set("entity", entity.value);
    // The API takes instants: the start of the From day and the end of the To day, firm time.
    if (from.value) q.set("from", localInputToInstant(`${from.value}T00:00`));
    if (to.value) q.set("to", localInputToInstant(`${to.value}T23:59`).replace("T23:59:00", "T23:59:59"));
    fill(out);
    await pagedTable(out, `/api/v1/audit-events${q.toString() ? `?${q}` : ""}`, ["When", "Who", "Action", "Record", "What changed"], (e) => [
      formatInstant(e.at), e.actor.label || e.actor.type, actionLabel(e.action), `${entityLabel(e.entity)} ${e.entity_id ?? ""}`,
      e.changes ? h("ul", { class: "plain changes" }, Object.entries(e.changes).map(([name, change]) => h("li", { text: changeText(name, change) }))) : ""], "audit-table");
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); show(); });
  await show();
}

// Firm-wide sign-in settings: who needs an authenticator, and how long sessions last.
async function settings(body) {
  const r = await api("GET", "/api/v1/settings");
  if (!r.ok) { body.append(statusLine("error", problemText(r))); return; }
  const slot = h("div");
  body.append(h("p", { class: "muted", text: "Attorneys and admins always need an authenticator app; this can require it of everyone. Sessions end after the idle time, and in any case after the absolute limit." }), slot);
  const show = (current) => fill(slot, recordForm({
    fields: SETTINGS_FIELDS, record: current, title: "Sign-in settings", submitLabel: "Save settings",
    save: (patch) => api("PATCH", "/api/v1/settings", { body: patch }),
    onSaved: (saved) => { show(saved); slot.prepend(statusLine("status", "Settings saved.")); },
  }));
  show(r.data);
}
