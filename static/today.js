// today: what is due. Overdue and due-in-14-days deadlines (mine or everyone's), open RFEs with
// days left, paroles ending in 30/60/90 days, unguarded cases, counts by stage and two charts.
// Each list is read a page at a time (pages.js): its first page on load, the next ones behind a
// "Show more" button, so the page asks the same of the server at any firm size.
import { api, problemText } from "./api.js";
import { h, fill, statusLine, table, humanize, nameText, announce } from "./dom.js";
import { formatDate, formatInstant, formatMonth, firmToday, addDays, daysBetween, formatNumber } from "./format.js";
import { clientNames } from "./names.js";
import { pagedList, deadlineOrder } from "./pages.js";
import { groupedBars, horizontalBars } from "./charts.js";
import { choiceLabel } from "./labels.js";
import { fieldCatalogue, stageOrder } from "./forms.js";
import { statusBadge, deadlineWhat, deadlineTitle, noticeNoun, deadlineHref } from "./deadlines.js";
import { triageControls } from "./triage.js";
import { assigneeList } from "./forms.js";

// The first page of each list on load (the overdue table: a screenful, so what is due soon
// shows below it), then MORE items a "Show more".
const FIRST = { overdue: 8, soon: 50, rfes: 25, ending: 50, unguarded: 25 };
const MORE = 50;

// A case cell: the client's name linking to the request (or to the client, who has none yet).
function caseCell(names, d) {
  return h("a", { href: deadlineHref(d) }, nameText(names.get(d.client_id) || `Client ${d.client_id}`),
    d.parole_request_id === null ? " · no parole request yet" : ` · request ${d.parole_request_id}`);
}

function dueText(d) {
  return d.due_at ? formatInstant(d.due_at) : formatDate(d.due_on);
}

// The link to an RFE's edit form on its request page, where the printed due date goes (for
// those who may edit it).
function noticeLink(d, canWrite) {
  return canWrite && d.source.resource === "rfes" ? h("a", { href: `#/requests/${d.parole_request_id}/rfes/${d.source.id}`, text: `Edit the ${noticeNoun(d)}` }) : null;
}

// A section with a heading, filled later.
function section(parent, title, id) {
  const body = h("div", { class: "section-body" }, statusLine("loading", "Loading…"));
  parent.append(h("section", { class: "card", "aria-labelledby": id }, h("h2", { id, text: title }), body));
  return body;
}

// "12" when the whole list is shown, "50 shown, more exist" while pages remain unread.
function countText(count, more) {
  return more ? `${count} shown, more exist` : String(count);
}

// A draw function (see pagedBlock) adding items as rows of one table (made on first use) with
// the given column headers; row(item) gives a row's cells.
function tableRows(headers, row, id, rowAttrs = () => ({})) {
  return (container, items) => {
    if (!container.querySelector("tbody")) container.append(table(null, headers, [], { id, class: "cards" }));
    // each cell names its column: on a phone the rows become cards that show it (app.css)
    const rows = items.map((item) => h("tr", rowAttrs(item), row(item).map((c, i) => h("td", { "data-label": headers[i] }, c))));
    container.querySelector("tbody").append(...rows);
    return rows[0]?.querySelector("a") || null;
  };
}

// One paged list appended to parent: heading (appended too unless already on the page) says
// "title (count)", or how many are shown while more exist; draw(container, items, more) adds
// items and returns the element to focus after a "Show more" (the first new item's link); a
// "Show more" button (id `${id}-more`, label `more`) reads the next page while more exist and
// adds the names of its clients to names first.
function pagedBlock(parent, names, { list, first, heading, title, more, id, empty, draw }) {
  const body = h("div", {});
  let count = first.length, error = null;
  const button = h("button", { type: "button", id: `${id}-more`, text: more, hidden: !list.more, onclick: async () => {
    if (button.getAttribute("aria-busy") === "true") return; // a page is already on its way
    button.setAttribute("aria-busy", "true");
    button.textContent = "Loading…";
    const r = await list.next(MORE);
    button.removeAttribute("aria-busy");
    button.textContent = more;
    error?.remove();
    if (!r.ok) {
      error = statusLine("error", `More could not be loaded: ${problemText(r)}`);
      button.before(error);
      return;
    }
    for (const [clientId, name] of await clientNames(r.items.map((item) => item.client_id))) names.set(clientId, name);
    const target = draw(body, r.items, list.more);
    count += r.items.length;
    heading.textContent = `${title} (${countText(count, list.more)})`;
    button.hidden = !list.more;
    announce(list.more ? `${r.items.length} more shown.` : `${r.items.length} more shown; that is all.`);
    // Reading goes on at the first new item; with nothing new, at the button or the heading.
    if (target) target.focus();
    else if (!button.hidden) button.focus();
    else { heading.tabIndex = -1; heading.focus(); }
  } });
  heading.textContent = `${title} (${countText(count, list.more)})`;
  if (!heading.parentNode) parent.append(heading);
  parent.append(body, button);
  if (count === 0 && !list.more) body.append(statusLine("empty", empty));
  else draw(body, first, list.more);
}

// The counts above Today's lists, each a filter of their rows (pressed again: every row again):
// overdue, due today, coming up, assigned to me. Counted over the rows loaded so far.
function filterChips(host, items, me) {
  const filters = [
    ["overdue", "Overdue", (d) => d.status === "overdue", '[data-status="overdue"]'],
    ["today", "Due today", (d) => d.status === "due_today", '[data-status="due_today"]'],
    ["upcoming", "Coming up", (d) => d.status === "upcoming", '[data-status="upcoming"]'],
    ["mine", "Assigned to me", (d) => d.assignee_id === me, '[data-mine="true"]'],
  ];
  let current = null;
  const buttons = filters.map(([key, label, test, selector]) => h("button", {
    type: "button", class: "chip", id: `filter-${key}`, "aria-pressed": "false",
    text: `${label} (${items.filter(test).length})`,
    onclick: () => {
      current = current === key ? null : key;
      for (const b of buttons) b.setAttribute("aria-pressed", String(b.id === `filter-${current}`));
      for (const row of host.querySelectorAll("#overdue-table tbody tr, #due-table tbody tr")) row.hidden = current !== null && !row.matches(selector);
      announce(current ? `Showing ${label.toLowerCase()} only.` : "Showing everything due.");
    },
  }));
  return h("div", { class: "chips", role: "group", "aria-label": "Show only" }, buttons);
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

  // The deadline lists hold what no one has marked handled or snoozed (triage=open).
  const mineOnly = mine ? "&assigned_to=me" : "";
  const who = `${mineOnly}&triage=open`;
  const D = "/api/v1/deadlines?";
  // Exact statuses, so a page holds only what the section shows (no met row filtered out).
  const unmet = (filter, to) => [`${D}${filter}status=overdue${who}`, `${D}${filter}status=due_today${who}`,
    `${D}${filter}status=upcoming${to ? `&to=${to}` : ""}${who}`];
  const lists = {
    overdue: pagedList([`${D}status=overdue${who}`]),
    soon: pagedList(unmet("", addDays(today, 14)).slice(1), deadlineOrder),
    rfes: pagedList(["rfe_response", "noid_response"].flatMap((kind) => unmet(`kind=${kind}&`)), deadlineOrder),
    ending: pagedList(unmet("kind=parole_end&", addDays(today, 90)).slice(1), deadlineOrder),
    unguarded: pagedList([`/api/v1/parole-requests?unguarded=true${mineOnly}`]),
  };
  const [overdueR, soonR, rfeR, endR, unguardedR, statsR, catalogue] = await Promise.all([
    lists.overdue.next(FIRST.overdue), lists.soon.next(FIRST.soon), lists.rfes.next(FIRST.rfes),
    lists.ending.next(FIRST.ending), lists.unguarded.next(FIRST.unguarded),
    api("GET", "/api/v1/stats"),
    fieldCatalogue(),
  ]);
  // The names of the clients on these pages only; each "Show more" adds those of its page.
  const names = await clientNames([overdueR, soonR, rfeR, endR, unguardedR].flatMap((r) => (r.ok ? r.items.map((item) => item.client_id) : [])));
  const cell = (d) => caseCell(names, d);

  // Overdue, then due in the next 14 days.
  const people = new Map((ctx.canWrite ? await assigneeList() : []).map((u) => [u.id, u.name]));
  // A row leaves the queue once handled or snoozed; an assignment shows in its What cell.
  const changed = (row, updated) => {
    if (updated.triage !== "open") { row.remove(); return; }
    const note = row.querySelector(".assignee");
    if (note) note.textContent = updated.assignee_id ? `Assigned to ${people.get(updated.assignee_id) || `user ${updated.assignee_id}`}` : "";
  };
  const dueRow = (d) => {
    const controls = triageControls(d, ctx, (updated) => { d.version = updated.version; changed(controls.closest("tr"), updated); });
    return [h("span", { class: d.status === "overdue" ? "overdue" : "", text: dueText(d) }), cell(d),
      h("div", {}, deadlineWhat(d, { editNotice: noticeLink(d, ctx.canWrite) }),
        h("span", { class: "assignee muted", text: d.assignee_id ? `Assigned to ${people.get(d.assignee_id) || `user ${d.assignee_id}`}` : "" })),
      statusBadge(d),
      h("span", { class: "rule", text: `${d.program_code ? "Program terminated" : "Rule"}: ${d.rule.citation_source}` })]
      .concat(controls ? [controls] : []);
  };
  const dueHeaders = ["Due", "Case", "What", "Status", "Source", ctx.canWrite ? "Act" : null].filter(Boolean);
  if (!overdueR.ok || !soonR.ok) fill(due, statusLine("error", `Deadlines could not be loaded: ${problemText(overdueR.ok ? soonR : overdueR)}`));
  else {
    fill(due);
    // The oldest overdue items first; beyond a screenful they wait behind the button.
    // Each row says what it is, for the filters above the lists.
    const me = ctx.session.user.id;
    const rowAttrs = (d) => ({ "data-status": d.status, "data-mine": String(d.assignee_id === me) });
    due.append(filterChips(due, [...overdueR.items, ...soonR.items], me));
    pagedBlock(due, names, { list: lists.overdue, first: overdueR.items, heading: h("h3"), title: "Overdue", more: "Show more overdue", id: "overdue",
      empty: "Nothing is overdue.", draw: tableRows(dueHeaders, dueRow, "overdue-table", rowAttrs) });
    pagedBlock(due, names, { list: lists.soon, first: soonR.items, heading: h("h3"), title: "Due today and in the next 14 days", more: "Show more due soon", id: "due",
      empty: "Nothing is due in the next 14 days.", draw: tableRows(dueHeaders, dueRow, "due-table", rowAttrs) });
    // The whole overdue list (this scope's) for a spreadsheet; the server audits the export.
    if (overdueR.items.length) due.append(h("p", { class: "export" }, h("a", { id: "overdue-csv", href: `${D}status=overdue${who}&format=csv`, download: "", text: "Download the overdue list as CSV" })));
  }

  // Open RFEs and NOIDs with days left, both kinds in one order of due dates.
  if (!rfeR.ok) fill(rfes, statusLine("error", "RFEs could not be loaded."));
  else {
    fill(rfes);
    pagedBlock(rfes, names, { list: lists.rfes, first: rfeR.items, heading: rfes.previousElementSibling, title: "Open RFEs and NOIDs", more: "Show more RFEs and NOIDs", id: "rfe",
      empty: "No RFE or NOID is waiting for a response.", draw: tableRows(["Response due", "Days left", "Case", "What"], (d) => {
        const left = daysBetween(today, d.due_on);
        return [formatDate(d.due_on), h("span", { class: left < 0 ? "overdue" : left <= 14 ? "soon" : "", text: left < 0 ? `${-left} overdue` : String(left) }), cell(d), deadlineWhat(d, { editNotice: noticeLink(d, ctx.canWrite) })];
      }, "rfe-table") });
  }

  // Paroles ending, grouped 30/60/90; a band the pages read so far may not have reached yet says so.
  if (!endR.ok) fill(ending, statusLine("error", "Parole ends could not be loaded."));
  else {
    fill(ending);
    const shown = [];
    const bands = h("div", {});
    const drawBands = (items, more) => {
      shown.push(...items);
      const reached = shown.length ? daysBetween(today, shown[shown.length - 1].due_on) : -1;
      const fresh = new Set(items);
      let focus = null;
      fill(bands);
      for (const [from, to] of [[0, 30], [31, 60], [61, 90]]) {
        const band = shown.filter((d) => { const n = daysBetween(today, d.due_on); return n >= from && n <= to; });
        const whole = !more || reached > to;
        const entries = band.map((d) => {
          const li = h("li", {}, formatDate(d.due_on), " — ", cell(d), ` (${deadlineTitle(d)})`,
            d.program_code ? h("span", { class: "rule", text: ` — ${d.rule.citation_source}` }) : null);
          if (!focus && fresh.has(d)) focus = li.querySelector("a");
          return li;
        });
        bands.append(h("h3", { text: `Within ${to} days (${whole ? band.length : `${band.length} shown, more exist`})` }),
          band.length ? h("ul", { class: "plain" }, entries) : h("p", { class: "muted", text: whole ? "None." : "Not loaded yet: show more to see them." }));
      }
      return focus;
    };
    pagedBlock(ending, names, { list: lists.ending, first: endR.items, heading: ending.previousElementSibling, title: "Paroles ending in the next 90 days", more: "Show more parole ends", id: "ending",
      empty: "No parole ends in the next 90 days.", draw: (container, items, more) => {
        if (!container.contains(bands)) container.append(bands);
        return drawBands(items, more);
      } });
  }

  // Unguarded.
  if (!unguardedR.ok) fill(unguarded, statusLine("error", "Unguarded cases could not be loaded."));
  else {
    fill(unguarded, h("p", { class: "muted", text: "Open cases with no deadline ahead, approved with no parole end recorded, or filed 30+ days ago with no receipt." }));
    const list = h("ul", { class: "plain", id: "unguarded-list" });
    pagedBlock(unguarded, names, { list: lists.unguarded, first: unguardedR.items, heading: unguarded.previousElementSibling, title: "Unguarded cases", more: "Show more unguarded cases", id: "unguarded",
      empty: "Every open case has something ahead of it.", draw: (container, items) => {
        if (!container.contains(list)) container.append(list);
        const rows = items.map((r) => h("li", {}, h("a", { href: `#/requests/${r.id}` }, nameText(names.get(r.client_id) || `Client ${r.client_id}`), ` · request ${r.id}`), ` — ${humanize(r.stage)}, ${choiceLabel(r.parole_type)}`));
        list.append(...rows);
        return rows[0]?.querySelector("a") || null;
      } });
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
