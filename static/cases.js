// cases: every parole request with filters (stage, parole type, program, assignee, unguarded,
// client or sponsor name) and paging. The filters live in the address (#/requests?stage=...) so
// Today's stage counts can link here and a filtered view can be bookmarked.
import { api } from "./api.js";
import { h, fill, statusLine, link, table, humanize, pager } from "./dom.js";
import { fieldCatalogue, assigneeList, stageOrder } from "./forms.js";
import { choiceLabel, queryProblemText } from "./labels.js";
import { clientNames } from "./names.js";

export async function render(page, [query], ctx) {
  const params = new URLSearchParams(query || "");
  const [catalogue, people] = await Promise.all([fieldCatalogue(), assigneeList()]);
  const types = ((catalogue && catalogue["parole-requests"]) || []).find((f) => f.name === "parole_type")?.choices || [];
  const select = (id, label, options, value) => h("span", { class: "filter" }, h("label", { for: id, text: label }),
    h("select", { id, name: id }, h("option", { value: "", text: "Any" }), options.map((o) => h("option", { value: o, text: choiceLabel(o), selected: o === value }))));
  const form = h("form", { class: "search filters", role: "search", "aria-label": "Filter parole requests" },
    h("span", { class: "filter" }, h("label", { for: "q", text: "Client or sponsor" }), h("input", { id: "q", name: "q", type: "search", value: params.get("q") || "" })),
    select("stage", "Stage", stageOrder(catalogue), params.get("stage")),
    select("parole_type", "Type", types, params.get("parole_type")),
    h("span", { class: "filter" }, h("label", { for: "program", text: "Program" }), h("input", { id: "program", name: "program", size: 8, value: params.get("program") || "" })),
    ctx.canWrite ? h("span", { class: "check" }, h("input", { id: "mine", name: "assigned_to", type: "checkbox", value: "me", checked: params.get("assigned_to") === "me" }), h("label", { for: "mine", text: "Mine only" })) : null,
    h("span", { class: "check" }, h("input", { id: "unguarded", name: "unguarded", type: "checkbox", value: "true", checked: params.get("unguarded") === "true" }), h("label", { for: "unguarded", text: "Unguarded only" })),
    h("button", { type: "submit", text: "Filter" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, k === "program" ? String(v).trim().toLowerCase() : String(v).trim());
    const target = `#/requests${next.toString() ? `?${next}` : ""}`;
    if (location.hash === target) render(fill(page), [query], ctx); // same filters: load afresh
    else location.hash = target;
  });
  const results = h("div", {}, statusLine("loading", "Loading…"));
  page.append(h("h1", { text: "Parole requests" }), form, results);
  const who = (uid) => (uid ? (people.find((p) => p.id === uid) || {}).name || `User ${uid}` : "—");
  const cursors = [null];
  async function load() {
    const q = new URLSearchParams(params);
    q.set("limit", "50");
    const cursor = cursors[cursors.length - 1];
    if (cursor) q.set("cursor", cursor);
    fill(results, statusLine("loading", "Loading…"));
    const r = await api("GET", `/api/v1/parole-requests?${q}`);
    if (!r.ok) { fill(results, statusLine("error", queryProblemText(r))); return; }
    if (r.data.items.length === 0) { fill(results, statusLine("empty", "No parole request matches these filters.")); return; }
    const names = await clientNames(r.data.items.map((p) => p.client_id));
    // The whole filtered list for a spreadsheet (the server audits the export).
    const csv = new URLSearchParams(params);
    csv.set("format", "csv");
    const download = h("p", { class: "export" }, h("a", { id: "case-csv", href: `/api/v1/parole-requests?${csv}`, download: "", text: "Download these requests as CSV" }),
      h("span", { class: "muted", text: " (every matching request, for a spreadsheet)" }));
    fill(results, download, table(null, ["Request", "Client", "Stage", "Type", "Program", "Attorney", "Paralegal"], r.data.items.map((p) => [
      link(`#/requests/${p.id}`, `Request ${p.id}`), h("a", { href: `#/clients/${p.client_id}` }, h("bdi", { text: names.get(p.client_id) || `Client ${p.client_id}` })),
      h("span", { class: `badge stage-${p.stage}`, text: humanize(p.stage) }), choiceLabel(p.parole_type), p.program || "—", who(p.assigned_attorney_id), who(p.assigned_paralegal_id)]), { id: "case-table" }),
    pager(cursors, r.data.next_cursor, load));
  }
  await load();
}
