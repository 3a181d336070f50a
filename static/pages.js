// pages: a list read a page at a time from one or more keyset-paged endpoints (`limit`,
// `next_cursor`), merged in one order. An item is handed out only once no unread page can
// come before it, so what has been handed out is always the true beginning of the merged list,
// never a wrong order. Depends on api.js only.
import { api } from "./api.js";

// Compare two strings by code unit (the byte order SQLite sorts ASCII keys in).
function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The order of every deadline list (GET /api/v1/deadlines): due date, time, id, request.
export function deadlineOrder(a, b) {
  return compareText(a.due_on, b.due_on) || compareText(a.due_at || "", b.due_at || "")
    || compareText(a.id, b.id) || a.parole_request_id - b.parole_request_id;
}

// A paged list over paths (each a list endpoint with its filters, without limit or cursor),
// merged by order (a compare function; needed when there is more than one path). Returns
// {next(limit), get more}: next() reads the pages the merge waits for and resolves to
// {ok: true, items} (the items newly handed out, in order; the caller owns them) or, when a
// call failed, to api()'s failed result (nothing is lost: the next call asks again). `more` says
// whether items remain beyond those handed out.
export function pagedList(paths, order = null) {
  if (paths.length > 1 && !order) throw new Error("pagedList: merging lists needs their order");
  const sources = paths.map((path) => ({ path, started: false, cursor: null, last: null, buffer: [] }));
  const open = () => sources.filter((s) => s.cursor);
  // The last item read of the list with more to read that is earliest in the order: no unread
  // item can come before it (null: every list is read to its end).
  const frontier = () => open().reduce((f, s) => (f === null || order(s.last, f) < 0 ? s.last : f), null);
  return {
    get more() { return sources.some((s) => !s.started || s.cursor || s.buffer.length); },
    async next(limit) {
      const before = frontier();
      // Unread lists, and those whose next page moves the frontier (for one list: its next page).
      const due = sources.filter((s) => !s.started || (s.cursor && (sources.length === 1 || order(s.last, before) === 0)));
      const answers = await Promise.all(due.map((s) => {
        const sep = s.path.includes("?") ? "&" : "?";
        return api("GET", `${s.path}${sep}limit=${limit}${s.cursor ? `&cursor=${encodeURIComponent(s.cursor)}` : ""}`);
      }));
      answers.forEach((r, i) => {
        if (!r.ok) return;
        const s = due[i];
        s.started = true;
        s.buffer.push(...r.data.items);
        s.cursor = r.data.next_cursor || null;
        if (r.data.items.length) s.last = r.data.items[r.data.items.length - 1];
        else s.cursor = null; // an empty page ends the list, whatever it says
      });
      const failed = answers.find((r) => !r.ok);
      if (failed) return failed;
      if (sources.length === 1) return { ok: true, items: sources[0].buffer.splice(0) };
      const upTo = frontier();
      const items = [];
      for (const s of sources) {
        const cut = upTo === null ? -1 : s.buffer.findIndex((item) => order(item, upTo) > 0);
        items.push(...s.buffer.splice(0, cut < 0 ? s.buffer.length : cut));
      }
      return { ok: true, items: items.sort(order) };
    },
  };
}
