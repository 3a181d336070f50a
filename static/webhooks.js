// webhooks: the admin's Webhooks page (/api/v1/webhook-endpoints). An endpoint is an address to
// which paroletrack posts a short signed message when a record changes; the page lists them,
// adds, edits, pauses and deletes them, makes a new signing secret, and shows each endpoint's
// delivery log (#/admin/webhooks/<id>) with every attempt and a way to send a delivery again.
// The signing secret is in the server's answer to a create or a rotation only: it is shown once,
// in a read-only field with a copy button, and kept nowhere else (no variable outlives the
// answer, nothing goes to storage); "Done", a reload or leaving the page removes it.
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, humanize, announce, copyButton, loadMoreButton } from "./dom.js";
import { formatInstant, formatNumber } from "./format.js";
import { fieldCatalogue, recordForm } from "./forms.js";
import { queryProblemText } from "./labels.js";
import { pagedList } from "./pages.js";

const BASE = "/api/v1/webhook-endpoints";
const PAGE = 25; // deliveries per page of the log

// --- event types in words -----------------------------------------------------------------------

// The records whose changes raise "<noun>.created|updated|deleted": [group heading, singular].
const NOUNS = {
  client: ["Clients", "Client"], parole_request: ["Parole requests", "Parole request"], filing: ["Filings", "Filing"],
  rfe: ["RFEs and NOIDs", "RFE or NOID"], interview: ["Appointments", "Appointment"], decision: ["Decisions", "Decision"],
  expiration: ["Expiry dates", "Expiry date"], fee_notice: ["Fee notices", "Fee notice"], entry: ["Travel history", "Travel history entry"],
};
const ACTIONS = { created: "added", updated: "changed", deleted: "deleted" };
const OTHER_EVENTS = {
  "stage.changed": "A parole request's stage changed", "deadline.overdue": "A deadline became overdue",
  "uscis_status.changed": "A USCIS case status changed",
};
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// An event type in words ("client.created" -> "Client added"; "*" -> "All events").
export function eventLabel(type) {
  if (type === "*") return "All events";
  if (OTHER_EVENTS[type]) return OTHER_EVENTS[type];
  const m = /^([a-z0-9_]+)\.([a-z0-9_]+)$/.exec(type);
  if (m && ACTIONS[m[2]]) return `${NOUNS[m[1]] ? NOUNS[m[1]][1] : humanize(m[1])} ${ACTIONS[m[2]]}`;
  return humanize(String(type).replace(/\./g, "_"));
}

// An endpoint's events for a table cell: "All events", or up to three by name and how many more.
function eventsSummary(events) {
  if (!events || events.length === 0) return "None";
  if (events.includes("*")) return "All events";
  const names = events.map(eventLabel);
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

// The catalogue's types in groups: one per record (its added / changed / deleted), then the rest.
function eventGroups(types) {
  const byNoun = new Map();
  const other = [];
  for (const t of types) {
    const m = /^([a-z0-9_]+)\.(created|updated|deleted)$/.exec(t);
    if (m) { if (!byNoun.has(m[1])) byNoun.set(m[1], []); byNoun.get(m[1]).push(t); } else other.push(t);
  }
  const groups = [...byNoun].map(([noun, list]) => ({ legend: NOUNS[noun] ? NOUNS[noun][0] : humanize(noun), types: list, short: (t) => capital(ACTIONS[t.split(".")[1]]) }));
  if (other.length) groups.push({ legend: "Other events", types: other, short: eventLabel });
  return groups;
}

// The control of an endpoint's `events` (a field's `control`, see forms.js): "All events" (sent as
// ["*"]: every type, including types added later) or a checkbox per type, grouped by record. A
// stored type the catalogue does not list stays a choice. Reading an unchanged choice gives the
// stored list itself, so an edit does not send it again in another order.
function eventsControl(catalogueTypes) {
  const initial = new WeakMap();
  return {
    make(attrs, value, label) {
      const stored = Array.isArray(value) ? value : [];
      const types = [...catalogueTypes, ...stored.filter((t) => t !== "*" && !catalogueTypes.includes(t))];
      const boxes = [];
      const box = (t, text) => {
        const input = h("input", { type: "checkbox", id: `${attrs.id}-${t.replace(/[^a-z0-9]+/gi, "-")}`, name: "event_type", value: t });
        boxes.push(input);
        return h("label", { class: "check", for: input.id }, input, text);
      };
      const all = h("input", { type: "checkbox", id: `${attrs.id}-all`, name: "event_all", value: "*" });
      const groups = h("div", { class: "event-groups" }, eventGroups(types).map((g) =>
        h("fieldset", { class: "event-group" }, h("legend", { text: g.legend }), g.types.map((t) => box(t, g.short(t))))));
      const group = h("fieldset", { id: attrs.id, name: attrs.name, class: "events-control", "aria-describedby": attrs["aria-describedby"] },
        h("legend", { text: label }),
        h("p", { class: "muted", text: "Which changes to send. “All events” also sends the kinds of change added in later versions." }),
        h("label", { class: "check all-events", for: all.id }, all, "All events"),
        groups);
      // "All events" ticks every box and locks them; unticking it gives back the choice made before.
      let chosen = null;
      all.addEventListener("change", () => {
        if (all.checked) chosen = boxes.filter((b) => b.checked).map((b) => b.value);
        for (const b of boxes) { b.disabled = all.checked; b.checked = all.checked || (chosen || []).includes(b.value); }
      });
      all.checked = stored.includes("*");
      for (const b of boxes) { b.checked = all.checked || stored.includes(b.value); b.disabled = all.checked; }
      chosen = all.checked ? [] : null;
      initial.set(group, stored);
      return group;
    },
    read(group) {
      if (group.querySelector('input[name="event_all"]').checked) return ["*"];
      const picked = [...group.querySelectorAll('input[name="event_type"]')].filter((b) => b.checked).map((b) => b.value);
      const stored = initial.get(group) || [];
      const same = picked.length === stored.length && picked.every((t) => stored.includes(t));
      return same ? stored : picked;
    },
  };
}

// The endpoint form's fields (the events' choices: the catalogue's webhook_event_types).
function endpointFields(types) {
  return [
    { name: "url", type: "text", required: true, single_line: true, max_length: 2000 },
    { name: "description", type: "text", required: false, single_line: true, max_length: 200 },
    { name: "events", type: "events", required: true, control: eventsControl(types) },
    { name: "include_identifiers", type: "boolean", required: false, default: false },
    { name: "enabled", type: "boolean", required: false, default: true },
  ];
}
const HINTS = {
  url: () => "Where the receiving system listens: https://… (http:// only for a receiver on this server).",
  description: () => "For your own reference, e.g. which system this is.",
  include_identifiers: () => "Otherwise only record ids, the kind of change and the names of the changed fields are sent: no names, numbers or notes.",
  enabled: () => "Untick to pause: nothing is sent, and changes made while paused are not sent later.",
};

// --- the page ----------------------------------------------------------------------------------

// The Webhooks tab: the list of endpoints, or (id given) one endpoint's delivery log.
export async function webhooks(body, ctx, id) {
  if (id) { await deliveryLog(body, Number(id)); return; }
  const types = (await fieldCatalogue())?.webhook_event_types || [];
  const fields = endpointFields(types);
  const slot = h("div", { class: "webhook-slot" });
  const out = h("div");
  const add = h("button", { type: "button", class: "primary", id: "add-webhook", text: "Add endpoint", onclick: () => {
    fill(slot, recordForm({ fields, title: "New endpoint", submitLabel: "Add endpoint", hints: HINTS,
      save: (b) => api("POST", BASE, { body: b }),
      onSaved: (created) => { showSecret(slot, created, "created"); load(); },
      onCancel: () => { fill(slot); add.focus(); } }));
    slot.querySelector("input, select, textarea")?.focus();
  } });
  body.append(h("p", { class: "muted", text: "A webhook tells another system (a case management or accounting program, a chat channel) when something changes here: paroletrack sends a short message to the address you give, signed with the endpoint's secret so the receiver can check it came from this server. A message that does not get through is tried again, waiting longer each time, for three days." }),
    add, slot, out);

  // The list of endpoints (a firm has a handful: read whole).
  async function load() {
    const r = await listAll(BASE);
    if (!r.ok) { fill(out, statusLine("error", queryProblemText(r))); return; }
    if (r.data.items.length === 0) { fill(out, statusLine("empty", "No endpoint yet: nothing is sent.")); return; }
    const rows = r.data.items.map((e) => h("tr", {},
      h("td", {}, h("span", { class: "url", text: e.url })),
      h("td", { text: e.description || "—" }),
      h("td", {}, eventsSummary(e.events), e.include_identifiers ? h("span", { class: "sub", text: "With identifiers and notes" }) : null),
      h("td", {}, enabledBadge(e)),
      h("td", { class: "number", text: formatNumber(e.pending) }),
      h("td", { class: `number${e.failed > 0 ? " overdue" : ""}`, text: formatNumber(e.failed) }),
      h("td", { text: e.last_delivered_at ? formatInstant(e.last_delivered_at) : "Never" }),
      h("td", {}, h("span", { class: "actions" },
        link(`#/admin/webhooks/${e.id}`, "Delivery log", { class: "button small", "aria-label": `Delivery log of ${e.url}` }),
        h("button", { type: "button", class: "small", text: "Edit", "aria-label": `Edit endpoint ${e.url}`, onclick: () => edit(e) }),
        h("button", { type: "button", class: "small", text: e.enabled ? "Disable" : "Enable", "aria-label": `${e.enabled ? "Disable" : "Enable"} endpoint ${e.url}`, onclick: () => setEnabled(e, !e.enabled) }),
        h("button", { type: "button", class: "small", text: "New secret", "aria-label": `New secret for ${e.url}`, onclick: () => rotate(e) }),
        h("button", { type: "button", class: "small danger", text: "Delete", "aria-label": `Delete endpoint ${e.url}`, onclick: () => remove(e) })))));
    fill(out, h("div", { class: "table-scroll" }, h("table", { id: "webhook-table" },
      h("caption", { class: "visually-hidden", text: "Webhook endpoints" }),
      h("thead", {}, h("tr", {}, ["Address", "Description", "Events", "Status", "Waiting", "Failed", "Last delivered"].map((t) => h("th", { scope: "col", text: t })),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
      h("tbody", {}, rows))));
  }

  function edit(e) {
    const form = recordForm({ fields, record: e, title: `Edit endpoint ${e.url}`, hints: HINTS,
      save: (patch, version) => api("PATCH", `${BASE}/${e.id}`, { body: patch, ifMatch: version }),
      onSaved: async (saved, opts) => {
        if (opts && opts.reload) {
          const again = await api("GET", `${BASE}/${e.id}`);
          if (again.ok) edit(again.data); else fill(slot, statusLine("error", problemText(again)));
          return;
        }
        fill(slot, statusLine("status", `Endpoint ${saved.url} saved.`));
        load();
      },
      onCancel: () => fill(slot) });
    fill(slot, form);
    slot.scrollIntoView();
    slot.querySelector("input, select, textarea")?.focus();
  }

  // A change made from the list (pause, delete) with the version the list showed: when someone
  // changed the endpoint since, nothing is done and the list is read again.
  async function listChange(r, done) {
    if (r.ok) { fill(slot, statusLine("status", done)); announce(done); }
    else if (r.status === 412) fill(slot, statusLine("error", "Someone else changed this endpoint after the list was shown, so nothing was done. The list now shows the current version: check it and try again."));
    else fill(slot, statusLine("error", problemText(r)));
    await load();
  }

  async function setEnabled(e, on) {
    const r = await api("PATCH", `${BASE}/${e.id}`, { body: { enabled: on }, ifMatch: e.version });
    await listChange(r, on ? `Endpoint ${e.url} enabled: changes are sent to it again.` : `Endpoint ${e.url} disabled: nothing is sent to it until it is enabled again.`);
  }

  async function remove(e) {
    if (!confirm(`Delete the endpoint ${e.url}? Nothing more is sent to it, and its delivery log is deleted too.`)) return;
    const r = await api("DELETE", `${BASE}/${e.id}`, { ifMatch: e.version });
    await listChange(r, `Endpoint ${e.url} deleted.`);
  }

  async function rotate(e) {
    if (!confirm(`Make a new secret for ${e.url}? The old secret stops working at once: the receiving system must be given the new one, or it will refuse the messages.`)) return;
    const r = await api("POST", `${BASE}/${e.id}/secret`);
    if (r.ok) showSecret(slot, r.data, "rotated"); else fill(slot, statusLine("error", problemText(r)));
    await load();
  }

  await load();
}

// An endpoint's enabled state as a badge.
function enabledBadge(e) {
  return h("span", { class: `badge status-${e.enabled ? "enabled" : "disabled"}`, text: e.enabled ? "Enabled" : "Disabled" });
}

// Show the secret of a create or rotation answer once, then drop it from the answer.
function showSecret(slot, answer, how) {
  const field = h("input", { id: "webhook-secret", type: "text", readonly: true, value: answer.secret || "", autocomplete: "off", spellcheck: "false", "aria-label": `Signing secret of ${answer.url}` });
  delete answer.secret;
  const heading = h("h2", { id: "webhook-secret-title", tabindex: "-1", text: how === "created" ? `Endpoint added: ${answer.url}` : `New secret for ${answer.url}` });
  fill(slot, h("section", { class: "card secret-once", id: "webhook-secret-card", "aria-labelledby": "webhook-secret-title" },
    heading,
    h("p", { class: "warning", text: "Copy this signing secret now: it will not be shown again. Give it to the receiving system, which checks with it that each message really comes from paroletrack." }),
    how === "rotated" ? h("p", { text: "The old secret no longer works." }) : null,
    field,
    h("div", { class: "form-actions" }, copyButton(field, "Copy secret"),
      h("button", { type: "button", text: "Done", onclick: () => fill(slot) }))));
  heading.focus();
}

// --- the delivery log --------------------------------------------------------------------------

const STATUS_WORDS = { pending: "Waiting to be sent", delivered: "Delivered", failed: "Failed" };
const EMPTY_WORDS = {
  "": "Nothing has been sent to this endpoint yet.", pending: "No delivery is waiting to be sent.",
  delivered: "No delivery has got through yet.", failed: "No delivery has failed.",
};
const answerText = (status) => (status === null || status === undefined ? "No answer" : `HTTP ${status}`);

// One endpoint's deliveries, newest first, filtered by status, a page at a time.
async function deliveryLog(body, id) {
  const back = h("p", {}, link("#/admin/webhooks", "Back to all endpoints"));
  const r = await api("GET", `${BASE}/${id}`);
  if (!r.ok) { body.append(back, statusLine("error", problemText(r))); return; }
  const e = r.data;
  const status = h("select", { id: "delivery-status" },
    h("option", { value: "", text: "All deliveries" }),
    Object.entries({ pending: "Waiting to be sent", delivered: "Delivered", failed: "Failed (no more tries)" }).map(([v, t]) => h("option", { value: v, text: t })));
  const refresh = h("button", { type: "button", id: "delivery-refresh", text: "Refresh" });
  const out = h("div", { id: "delivery-log-list" });
  body.append(back, h("section", { class: "card", id: "delivery-log", "aria-labelledby": "delivery-log-title" },
    h("h2", { id: "delivery-log-title", text: "Delivery log" }),
    h("p", { class: "facts" }, h("span", { class: "url", text: e.url }), enabledBadge(e), h("span", { text: `Events: ${eventsSummary(e.events)}` }),
      e.description ? h("span", { class: "muted", text: e.description }) : null),
    h("p", { class: "muted", text: "Newest first. A delivery that does not get through is tried again, waiting longer each time, for three days; after that it is marked failed. “Send again” puts a delivery back in the queue, to be sent within seconds." }),
    h("form", { class: "search", onsubmit: (ev) => { ev.preventDefault(); load(); } },
      h("label", { for: "delivery-status", text: "Show" }), status, refresh),
    out));
  status.addEventListener("change", () => load());
  refresh.addEventListener("click", () => load());

  let generation = 0;
  async function load() {
    const mine = ++generation;
    const list = pagedList([`${BASE}/${id}/deliveries${status.value ? `?status=${status.value}` : ""}`]);
    fill(out, statusLine("loading", "Loading…"));
    const first = await list.next(PAGE);
    if (mine !== generation) return; // a newer read replaced this one
    if (!first.ok) { fill(out, statusLine("error", queryProblemText(first))); return; }
    if (first.items.length === 0) {
      fill(out, statusLine("empty", EMPTY_WORDS[status.value] || EMPTY_WORDS[""]));
      return;
    }
    const tbody = h("tbody");
    const more = loadMoreButton("delivery-more", list, PAGE, out,
      (items) => items.map((d) => deliveryRows(tbody, id, d)), problemText);
    for (const d of first.items) deliveryRows(tbody, id, d);
    fill(out, h("div", { class: "table-scroll" }, h("table", { id: "delivery-table" },
      h("caption", { class: "visually-hidden", text: "Deliveries, newest first" }),
      h("thead", {}, h("tr", {}, ["Event", "Happened", "Status", "Tries", "Last try", "Delivered"].map((t) => h("th", { scope: "col", text: t })),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
      tbody)), more);
  }
  await load();
}

// A delivery's row (and the hidden row of its attempts under it) appended to tbody. Returns the
// row's first button (to focus after "Load more").
function deliveryRows(tbody, endpointId, delivery) {
  const url = `${BASE}/${endpointId}/deliveries/${delivery.id}`;
  const cells = [0, 1, 2, 3, 4, 5].map(() => h("td"));
  const detailId = `delivery-${delivery.id}-attempts`;
  const detailCell = h("td", { colspan: "7" });
  const detail = h("tr", { class: "attempts-row", id: detailId, hidden: true }, detailCell);
  const toggle = h("button", { type: "button", class: "small", text: "Show attempts", "aria-expanded": "false", "aria-controls": detailId, "aria-label": `Show attempts of ${delivery.webhook_id}` });
  const again = h("button", { type: "button", class: "small", text: "Send again", "aria-label": `Send again ${delivery.webhook_id}` });
  const row = h("tr", { "data-delivery": String(delivery.id) }, cells, h("td", {}, h("span", { class: "actions" }, toggle, again)));
  tbody.append(row, detail);

  // Fill the cells from a delivery; note: a line under the status (a replay's outcome).
  function draw(d, note = null) {
    fill(cells[0], eventLabel(d.type), h("span", { class: "sub", text: `${d.webhook_id} · ${d.type}` }));
    fill(cells[1], formatInstant(d.occurred_at));
    fill(cells[2], h("span", { class: `badge status-${d.status}`, text: STATUS_WORDS[d.status] || humanize(d.status) }),
      d.status === "pending" && d.attempts > 0 ? h("span", { class: "sub", text: `Next try ${formatInstant(d.next_attempt_at)}` }) : null,
      note);
    fill(cells[3], formatNumber(d.attempts));
    fill(cells[4], d.last_attempt_at
      ? [formatInstant(d.last_attempt_at), h("span", { class: "sub", text: answerText(d.last_status) }), d.last_error ? h("span", { class: "sub error", text: d.last_error }) : null]
      : h("span", { class: "muted", text: "Not tried yet" }));
    fill(cells[5], d.delivered_at ? formatInstant(d.delivered_at) : "—");
  }
  // The attempts of a delivery, oldest first.
  function drawAttempts(d) {
    const log = d.attempts_log || [];
    fill(detailCell, log.length
      ? h("table", { class: "attempts" }, h("caption", { text: `Attempts to send ${d.webhook_id}` }),
        h("thead", {}, h("tr", {}, ["Tried at", "Answer", "Error", "Time taken"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, log.map((a) => h("tr", {},
          h("td", { text: formatInstant(a.attempted_at) }), h("td", { text: answerText(a.status) }),
          h("td", { text: a.error || "—" }), h("td", { text: `${formatNumber(a.duration_ms)} ms` })))))
      : statusLine("empty", "Not tried yet: it is waiting in the queue."));
  }
  draw(delivery);

  const expand = (open) => {
    detail.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide attempts" : "Show attempts";
    toggle.setAttribute("aria-label", `${toggle.textContent} of ${delivery.webhook_id}`);
  };
  toggle.addEventListener("click", async () => {
    if (toggle.getAttribute("aria-expanded") === "true") { expand(false); return; }
    const r = await api("GET", url);
    if (r.ok) { draw(r.data); drawAttempts(r.data); } else fill(detailCell, statusLine("error", problemText(r)));
    expand(true);
  });
  again.addEventListener("click", async () => {
    again.disabled = true;
    const r = await api("POST", `${url}/replay`);
    again.disabled = false;
    if (!r.ok) { cells[2].querySelector(".replay-note")?.remove(); cells[2].append(h("span", { class: "sub error replay-note", role: "alert", text: `Not queued: ${problemText(r)}` })); return; }
    draw(r.data, h("span", { class: "sub replay-note info", text: "Queued to send again" }));
    if (!detail.hidden && r.data.attempts_log) drawAttempts(r.data);
    announce("Queued to send again.");
  });
  return toggle;
}
