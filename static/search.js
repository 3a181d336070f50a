// search: the header's one search box (GET /api/v1/search). A name is searched as it is typed
// (forgiving of typos); a query with digits (an A-number, a passport or receipt number, PR-49)
// only on Enter, since each look-up by identifier counts against the user's limit. "/" anywhere
// outside a field puts the cursor in the box; Escape closes the results; the arrow keys move
// through them.
import { api, problemText } from "./api.js";
import { h, fill, announce } from "./dom.js";

const $ = (id) => document.getElementById(id);
let asked = 0; // the latest search sent: an older answer arriving late is dropped

// Where a hit leads.
function hitHref(hit) {
  return hit.kind === "client" ? `#/clients/${hit.id}` : `#/requests/${hit.id}`;
}

// How a hit matched, in words.
const MATCHED = { name: "name", a_number: "A-number", passport_number: "passport number", receipt_number: "receipt number", request_id: "request number" };

function close() {
  $("search-results").hidden = true;
  $("search-q").setAttribute("aria-expanded", "false");
}

async function run(query) {
  const list = $("search-results");
  const mine = ++asked;
  const r = await api("GET", `/api/v1/search?q=${encodeURIComponent(query)}&limit=10`);
  if (mine !== asked) return;
  if (!r.ok) {
    fill(list, h("li", { class: "error", text: problemText(r) }));
  } else if (!r.data.items.length) {
    fill(list, h("li", { class: "muted", text: `Nothing matches “${query}”. Check the spelling, or type an A-number or a receipt number.` }));
  } else {
    fill(list, r.data.items.map((hit) => h("li", {}, h("a", { href: hitHref(hit), onclick: close },
      hit.kind === "client" ? hit.label : `Request ${hit.id} · ${hit.label}`,
      h("span", { class: "muted", text: hit.matched === "name" ? "" : ` (by ${MATCHED[hit.matched]})` })))));
    announce(`${r.data.items.length} found.`);
  }
  list.hidden = false;
  $("search-q").setAttribute("aria-expanded", "true");
}

export function setUpSearch() {
  const input = $("search-q");
  let timer = null;
  $("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = input.value.trim();
    if (query) run(query);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2 || /\d/.test(query)) { if (!query) close(); return; }
    timer = setTimeout(() => run(query), 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { close(); return; }
    if (event.key === "ArrowDown") { event.preventDefault(); $("search-results").querySelector("a")?.focus(); }
  });
  $("search-results").addEventListener("keydown", (event) => {
    const links = [...$("search-results").querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at >= 0) { event.preventDefault(); links[Math.min(at + 1, links.length - 1)].focus(); }
    if (event.key === "ArrowUp" && at >= 0) { event.preventDefault(); (at === 0 ? input : links[at - 1]).focus(); }
    if (event.key === "Escape") { close(); input.focus(); }
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !$("search").hidden && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
  document.addEventListener("click", (event) => { if (!event.target.closest?.("#search")) close(); });
  window.addEventListener("hashchange", close);
}
