// dom: building the page. Every value from the server goes in as text (textContent or a text
// node), never as markup, so a name like <img src=x onerror=alert(1)> shows those characters.

// Create an element. attrs: attributes (class, for, href, ...), "on<event>" handlers, and
// "text" for the text content; children: nodes or strings (added as text nodes), null skipped.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") el.textContent = String(value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "hidden" || name === "disabled" || name === "required" || name === "checked" || name === "selected" || name === "multiple") el[name] = Boolean(value);
    else if (name === "value") el.value = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

// Append children (nodes, strings as text, arrays flattened, null/undefined/false skipped).
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

// Replace everything inside parent with children.
export function fill(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

// An SVG element (charts): attributes only, children appended.
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") el.textContent = String(value);
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

// A loading / empty / error line with the right live-region role.
export function statusLine(kind, text) {
  return h("p", { class: `state state-${kind}`, role: kind === "error" ? "alert" : "status", text });
}

// A link inside the single-page app.
export function link(hash, text, attrs = {}) {
  return h("a", { href: hash, ...attrs, text });
}

// A table from column headers and rows of cells (each cell a node or text).
// The table sits in a box that scrolls sideways on a narrow screen instead of the whole page.
export function table(caption, headers, rows, attrs = {}) {
  return h("div", { class: "table-scroll" }, h("table", attrs,
    caption ? h("caption", { text: caption }) : null,
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c)))))));
}

// Title-case a snake_case code for display ("rfe_open" -> "RFE open").
export function humanize(code) {
  if (code === null || code === undefined) return "";
  const words = String(code).split("_").map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
const ACRONYMS = new Set(["rfe", "noid", "ead", "i94", "us", "u4u", "oaw", "frp", "chnv", "id", "a", "api", "ups", "mpip", "uscis"]);

// A person's name isolated for bidirectional text (<bdi>), so an Arabic or Hebrew name next to
// Latin text keeps both in the right order.
export function nameText(text) {
  return h("bdi", { text });
}

// Say something to screen-reader users without moving focus ("Saved.").
export function announce(text) {
  const region = document.getElementById("announce");
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 50);
}

// Previous / next page buttons over a stack of list cursors (cursors[0] is null: the first
// page). load() draws the page whose cursor is on top of the stack.
export function pager(cursors, nextCursor, load) {
  return h("div", { class: "pager" },
    h("button", { type: "button", text: "Previous page", disabled: cursors.length <= 1, onclick: () => { cursors.pop(); load(); } }),
    h("span", { class: "muted", text: `Page ${cursors.length}` }),
    h("button", { type: "button", text: "Next page", disabled: !nextCursor, onclick: () => { cursors.push(nextCursor); load(); } }));
}

// A "Load more" button over a list's pages (list.next(page) answers {ok, items} and list.more
// says whether another page follows): show(items) adds the items and returns the elements it
// added (the first gets the focus); errorText(answer) words a failed load, shown above the
// button in `host`. The result of each load is announced.
export function loadMoreButton(id, list, page, host, show, errorText) {
  const more = h("button", { type: "button", id, text: "Load more", hidden: !list.more, onclick: async () => {
    if (more.getAttribute("aria-busy") === "true") return;
    more.setAttribute("aria-busy", "true");
    more.textContent = "Loading…";
    const next = await list.next(page);
    more.removeAttribute("aria-busy");
    more.textContent = "Load more";
    host.querySelector(".more-error")?.remove();
    if (!next.ok) { more.before(h("p", { class: "state state-error more-error", role: "alert", text: `More could not be loaded: ${errorText(next)}` })); return; }
    const added = show(next.items);
    more.hidden = !list.more;
    announce(list.more ? `${next.items.length} more shown.` : `${next.items.length} more shown; that is all.`);
    if (added.length) added[0].focus(); else if (!more.hidden) more.focus();
  } });
  return more;
}

// A button copying the value of a (read-only) input, selecting it too.
export function copyButton(field, text) {
  return h("button", { type: "button", text, onclick: async () => {
    field.select();
    try { await navigator.clipboard.writeText(field.value); } catch { document.execCommand("copy"); }
  } });
}

// Show one error line at the top of container, replacing the one shown before.
export function replaceError(container, text) {
  container.querySelector(".replaceable-error")?.remove();
  container.prepend(h("p", { class: "state state-error replaceable-error", role: "alert", text }));
}
