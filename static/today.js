// today: what is due. Overdue and due-in-14-days deadlines (mine or everyone's), open RFEs with
// days left, paroles ending in 30/60/90 days, unguarded cases, counts by stage and two charts.
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, table, humanize, nameText } from "./dom.js";
import { formatDate, formatInstant, formatMonth, firmToday, addDays, daysBetween, formatNumber } from "./format.js";
import { clientNames } from "./names.js";
import { groupedBars, horizontalBars } from "./charts.js";
import { choiceLabel } from "./labels.js";
import { fieldCatalogue, stageOrder } from "./forms.js";

const OVERDUE_SHOWN = 8;

// A case cell: the client's name linking to the request.
function caseCell(names, d) {
  return h("a", { href: `#/requests/${d.parole_request_id}` }, nameText(names.get(d.client_id) || `Client ${d.client_id}`), ` · request ${d.parole_request_id}`);
}

function dueText(d) {
  return d.due_at ? formatInstant(d.due_at) : formatDate(d.due_on);
}

// A section with a heading, filled later.
function section(parent, title, id) {
  const body = h("div", { class: "section-body" }, statusLine("loading", "Loading…"));
  parent.append(h("section", { class: "card", "aria-labelledby": id }, h("h2", { id, text: title }), body));
  return body;
}

export async function render(page, params, ctx) {
  const scope = sessionStorage.getItem("pt-today-scope") || "everyone";
  const mine = scope === "mine" && ctx.canWrite;
  const today = firmToday();
  // Switch scope, then give focus back to the pressed button (the page is drawn anew).
  const setScope = (value) => {
    sessionStorage.setItem("pt-today-scope", value);
    render(fill(page), params, ctx).then(() => page.querySelector('.segmented [aria-pressed="true"]')?.focus());
  };
  // Viewers are never assigned a case, so "mine" would always be empty for them.
  const toggle = ctx.canWrite ? h("div", { class: "segmented", role: "group", "aria-label": "Whose deadlines" },
    h("button", { type: "button", "aria-pressed": String(mine), text: "Mine", onclick: () => setScope("mine") }),
    h("button", { type: "button", "aria-pressed": String(!mine), text: "Everyone's", onclick: () => setScope("everyone") })) : null;
  page.append(h("div", { class: "page-head" }, h("h1", { text: "Today" }), h("p", { class: "muted", text: formatDate(today) }), toggle));
  const grid = h("div", { class: "today-grid" });
  page.append(grid);
  const due = section(grid, "Overdue and due in the next 14 days", "due-title");
  due.parentElement.classList.add("wide");
  const rfes = section(grid, "Open RFEs and NOIDs", "rfe-title");
  const ending = section(grid, "Paroles ending in the next 90 days", "ending-title");
  const unguarded = section(grid, "Unguarded cases", "unguarded-title");
  const stages = section(grid, "Caseload by stage", "stages-title");
  const charts = section(grid, "Parole and EAD ends, next 12 months", "chart-title");

  const who = mine ? "&assigned_to=me" : "";
  const [overdueR, soonR, rfeR, noidR, endR, unguardedR, statsR, catalogue] = await Promise.all([
    listAll(`/api/v1/deadlines?status=overdue${who}`),
    listAll(`/api/v1/deadlines?from=${today}&to=${addDays(today, 14)}${who}`),
    listAll(`/api/v1/deadlines?kind=rfe_response${who}`),
    listAll(`/api/v1/deadlines?kind=noid_response${who}`),
    listAll(`/api/v1/deadlines?kind=parole_end&from=${today}&to=${addDays(today, 90)}${who}`),
    listAll(`/api/v1/parole-requests?unguarded=true${who}`),
    api("GET", "/api/v1/stats"),
    fieldCatalogue(),
  ]);
  const names = await clientNames([overdueR, soonR, rfeR, noidR, endR, unguardedR]
    .flatMap((r) => (r.ok ? r.data.items.map((item) => item.client_id) : [])));

  // Overdue, then due in the next 14 days.
  const dueTable = (items, id) => table(null, ["Due", "Case", "What", "Status", "Rule"], items.map((d) => [
    h("span", { class: d.status === "overdue" ? "overdue" : "", text: dueText(d) }), caseCell(names, d), d.title,
    h("span", { class: `badge status-${d.status}`, text: humanize(d.status) }),
    h("span", { class: "rule", text: `${d.rule.code} — ${d.rule.citation_source}` })]), { id });
  if (!overdueR.ok || !soonR.ok) fill(due, statusLine("error", `Deadlines could not be loaded: ${problemText(overdueR.ok ? soonR : overdueR)}`));
  else {
    const overdue = overdueR.data.items;
    const soon = soonR.data.items.filter((d) => d.status === "due_today" || d.status === "upcoming");
    fill(due,
      h("h3", { text: `Overdue (${overdue.length})` }),
      overdue.length ? dueTable(overdue, "overdue-table") : statusLine("empty", "Nothing is overdue."),
      overdue.length > OVERDUE_SHOWN ? h("button", { type: "button", id: "overdue-all", text: `Show all ${overdue.length} overdue`, onclick: (e) => {
        for (const row of due.querySelectorAll("#overdue-table tbody tr")) row.hidden = false;
        e.target.remove();
      } }) : null,
      h("h3", { text: `Due today and in the next 14 days (${soon.length})` }),
      soon.length ? dueTable(soon, "due-table") : statusLine("empty", "Nothing is due in the next 14 days."));
    if (overdueR.data.truncated || soonR.data.truncated) due.prepend(statusLine("error", "Only the first 5,000 deadlines are shown here; use the Parole requests page filters to see the rest."));
    // The oldest overdue items first; beyond a screenful they wait behind a button.
    due.querySelectorAll("#overdue-table tbody tr").forEach((row, i) => { row.hidden = i >= OVERDUE_SHOWN; });
  }

  // Open RFEs with days left.
  if (!rfeR.ok || !noidR.ok) fill(rfes, statusLine("error", "RFEs could not be loaded."));
  else {
    const open = [...rfeR.data.items, ...noidR.data.items].filter((d) => d.status !== "met").sort((a, b) => a.due_on.localeCompare(b.due_on));
    fill(rfes, open.length === 0 ? statusLine("empty", "No RFE or NOID is waiting for a response.")
      : table(null, ["Response due", "Days left", "Case", "What"], open.map((d) => {
        const left = daysBetween(today, d.due_on);
        return [formatDate(d.due_on), h("span", { class: left < 0 ? "overdue" : left <= 14 ? "soon" : "", text: left < 0 ? `${-left} overdue` : String(left) }), caseCell(names, d), d.title];
      }), { id: "rfe-table" }));
  }

  // Paroles ending, grouped 30/60/90.
  if (!endR.ok) fill(ending, statusLine("error", "Parole ends could not be loaded."));
  else {
    const items = endR.data.items.filter((d) => d.status !== "met");
    if (items.length === 0) fill(ending, statusLine("empty", "No parole ends in the next 90 days."));
    else {
      fill(ending);
      for (const [from, to] of [[0, 30], [31, 60], [61, 90]]) {
        const band = items.filter((d) => { const n = daysBetween(today, d.due_on); return n >= from && n <= to; });
        ending.append(h("h3", { text: `Within ${to} days (${band.length})` }),
          band.length ? h("ul", { class: "plain" }, band.map((d) => h("li", {}, formatDate(d.due_on), " — ", caseCell(names, d), ` (${d.title})`))) : h("p", { class: "muted", text: "None." }));
      }
    }
  }

  // Unguarded.
  if (!unguardedR.ok) fill(unguarded, statusLine("error", "Unguarded cases could not be loaded."));
  else {
    const items = unguardedR.data.items;
    fill(unguarded, h("p", { class: "muted", text: "Open cases with no deadline ahead, approved with no parole end recorded, or filed 30+ days ago with no receipt." }),
      items.length === 0 ? statusLine("empty", "Every open case has something ahead of it.")
        : h("ul", { class: "plain", id: "unguarded-list" }, items.map((r) => h("li", {}, h("a", { href: `#/requests/${r.id}` }, nameText(names.get(r.client_id) || `Client ${r.client_id}`), ` · request ${r.id}`), ` — ${humanize(r.stage)}, ${choiceLabel(r.parole_type)}`))));
  }

  // Stage counts and charts (firm-wide).
  if (!statsR.ok) { fill(stages, statusLine("error", "Case counts could not be loaded.")); fill(charts, statusLine("error", "The chart could not be loaded.")); return; }
  const s = statsR.data;
  const rows = stageOrder(catalogue).filter((k) => k in s.stages).map((k) => ({ label: humanize(k), value: s.stages[k], href: `#/requests?stage=${k}` }));
  fill(stages, h("p", { class: "muted", text: `${formatNumber(s.total)} parole requests in all (firm-wide).` }),
    s.total === 0 ? statusLine("empty", "No parole requests yet.") : horizontalBars("Caseload by stage", rows.filter((r) => r.value > 0)));
  fill(charts, groupedBars("Parole and EAD ends per month", s.expirations_by_month.map((m) => ({ label: formatMonth(m.month), values: [m.parole_end, m.ead_end] })),
    [{ name: "parole ends", cls: "s1" }, { name: "EAD ends", cls: "s2" }]));
}
