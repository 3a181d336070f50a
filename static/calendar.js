// calendar: a month of deadlines and appointments in the firm's zone, and the user's calendar
// feed link (an iCalendar URL for Outlook, Google or Apple Calendar).
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, link, copyButton } from "./dom.js";
import { firmToday, formatInstant, firmLocale, firmZone } from "./format.js";
import { clientNames } from "./names.js";
import { statusText, deadlineShortTitle, deadlineTitle, deadlineHref } from "./deadlines.js";

// What a day's item adds to its name: overdue, done, or settled by a decision (moot: done, not due).
const STATUS_SUFFIX = { overdue: " (overdue)", met: " (done)", moot: " (settled by a decision)" };

const pad = (n) => String(n).padStart(2, "0");

export async function render(page, [month], ctx) {
  const today = firmToday();
  const ym = month || today.slice(0, 7);
  const [y, m] = ym.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const prev = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
  const title = new Intl.DateTimeFormat(firmLocale(), { month: "long", year: "numeric", timeZone: "UTC" }).format(first);
  page.append(h("div", { class: "page-head" }, h("h1", { id: "calendar-title", text: title }),
    h("nav", { class: "pager", "aria-label": "Months" }, link(`#/calendar/${prev}`, "← Previous month"), link("#/calendar", "This month"), link(`#/calendar/${next}`, "Next month →"))));
  const grid = h("div", {}, statusLine("loading", "Loading…"));
  page.append(grid);
  if (ctx.canWrite) page.append(feedSection()); // a feed lists the user's assigned cases: viewers have none

  const r = await listAll(`/api/v1/deadlines?from=${ym}-01&to=${ym}-${pad(days)}`);
  if (!r.ok) { fill(grid, statusLine("error", problemText(r))); return; }
  const names = await clientNames(r.data.items.map((d) => d.client_id));
  const byDay = new Map();
  for (const d of r.data.items) {
    const list = byDay.get(d.due_on) || [];
    list.push(d);
    byDay.set(d.due_on, list);
  }
  // Weeks start on the locale's first day where the browser knows it, else Sunday.
  const locale = new Intl.Locale(firmLocale());
  const weekStart = ((locale.getWeekInfo ? locale.getWeekInfo() : locale.weekInfo) || { firstDay: 7 }).firstDay % 7;
  const lead = (first.getUTCDay() - weekStart + 7) % 7;
  const dayNames = [...Array(7)].map((_, i) => new Intl.DateTimeFormat(firmLocale(), { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2023, 0, 1 + ((weekStart + i) % 7)))));
  const tableEl = h("table", { class: "month", id: "month-grid" }, h("caption", { class: "visually-hidden", text: `Deadlines and appointments in ${title}` }),
    h("thead", {}, h("tr", {}, dayNames.map((n) => h("th", { scope: "col", text: n })))));
  const tbody = h("tbody");
  let row = h("tr");
  for (let i = 0; i < lead; i++) row.append(h("td", { class: "outside" }));
  for (let day = 1; day <= days; day++) {
    const iso = `${ym}-${pad(day)}`;
    const items = byDay.get(iso) || [];
    const cell = h("td", { class: iso === today ? "today" : "", "data-date": iso },
      h("div", { class: "day-number", text: String(day) }),
      items.length ? h("ul", { class: "day-items" }, items.map((d) => h("li", { class: `kind-${d.kind} status-${d.status}` },
        link(deadlineHref(d), `${d.due_at ? new Intl.DateTimeFormat(firmLocale(), { timeStyle: "short", timeZone: firmZone() }).format(new Date(d.due_at)) + " " : ""}${deadlineShortTitle(d)}${STATUS_SUFFIX[d.status] || ""}`,
          { title: `${deadlineTitle(d)} — ${names.get(d.client_id) || ""} — ${statusText(d)}${d.due_at ? ` — ${formatInstant(d.due_at)}` : ""}${d.program_code ? ` — program terminated: ${d.rule.citation_source}` : ""}` }),
        h("bdi", { class: "who", text: names.get(d.client_id) || "" })))) : null);
    row.append(cell);
    if ((lead + day) % 7 === 0) { tbody.append(row); row = h("tr"); }
  }
  if (row.children.length) { while (row.children.length < 7) row.append(h("td", { class: "outside" })); tbody.append(row); }
  tableEl.append(tbody);
  fill(grid, r.data.items.length ? null : statusLine("empty", "Nothing due this month."), tableEl);
}

// The feed link: created (or replaced) on request, since the server keeps only its hash.
export function feedSection() {
  const body = h("div", {}, h("p", { class: "muted", text: "Subscribe to your deadlines and appointments from your own calendar app. The link is shown once; creating a new one replaces the old link." }));
  const out = h("div", { id: "feed-output" });
  const create = h("button", { type: "button", id: "feed-create", text: "Create my calendar feed link", onclick: async () => {
    const r = await api("POST", "/api/v1/me/calendar-feed");
    if (!r.ok) { fill(out, statusLine("error", problemText(r))); return; }
    const field = h("input", { id: "feed-url", type: "text", readonly: true, value: new URL(r.data.url, location.origin).href, "aria-label": "Calendar feed link" });
    fill(out, h("label", { for: "feed-url", text: "Your feed link (keep it private: anyone with it sees your calendar)" }), field,
      copyButton(field, "Copy link"));
  } });
  const revoke = h("button", { type: "button", text: "Turn my feed off", onclick: async () => {
    const r = await api("DELETE", "/api/v1/me/calendar-feed");
    fill(out, r.ok ? statusLine("status", "Your feed link no longer works.") : statusLine("error", problemText(r)));
  } });
  body.append(h("div", { class: "actions" }, create, revoke), out);
  return h("section", { class: "card", "aria-labelledby": "feed-title" }, h("h2", { id: "feed-title", text: "Calendar feed" }), body);
}
