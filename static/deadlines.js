// deadlines: one deadline as people read it, the same on the request page, Today and the
// calendar. Its status in words (a moot one says which decision settled it, and looks done, not
// overdue), what it is (the kind in plain words where the title alone would not say it), and
// what to do about it: an RFE/NOID date the server computed instead of reading it from the notice,
// a re-parole filing made before its window opened. A client's own deadline (source `clients`:
// the passport, the asylum one-year deadline, the change-of-address report) says so, with a link
// to the client's page, where its dates come from.
import { h } from "./dom.js";
import { formatDate } from "./format.js";
import { statusLabel, deadlineKindLabel } from "./labels.js";

// Kinds whose plain label leads the deadline's own title ("Fee due" then "Pay the parole fee").
const LABELLED_KINDS = new Set(["missed_appointment", "fee_payment"]);

// Kinds whose plain label is their name (their title says the same in other words).
const NAMED_KINDS = new Set(["asylum_one_year", "address_change_report"]);

// A deadline of the client rather than of one request (listed under each of the client's requests).
export const isClientsOwn = (d) => Boolean(d.source && d.source.resource === "clients");

// Where a deadline is worked on: its request's page, or the client's page for a client's own
// deadline while the client has no parole request (parole_request_id null).
export const deadlineHref = (d) => (d.parole_request_id === null ? `#/clients/${d.client_id}` : `#/requests/${d.parole_request_id}`);

// Statuses of a deadline nothing has settled yet.
export const isOpen = (d) => d.status === "upcoming" || d.status === "due_today" || d.status === "overdue";

// Why a moot deadline needs nothing more: "settled by the decision of Dec 5, 2026";
// decisionDate(id) gives the decided_on of a decision of the request when it is known (else
// "settled by a decision").
function mootReason(d, decisionDate) {
  const on = d.moot_decision_id && decisionDate ? decisionDate(d.moot_decision_id) : null;
  return on ? `settled by the decision of ${formatDate(on)}` : "settled by a decision";
}

// The status in words: "Overdue", "Done", "Moot — settled by the decision of Dec 5, 2026".
export function statusText(d, decisionDate = null) {
  return d.status === "moot" ? `Moot — ${mootReason(d, decisionDate)}` : statusLabel(d.status);
}

// The status as a badge; a moot one is styled as done, its reason beside the badge.
export function statusBadge(d, decisionDate = null) {
  const badge = h("span", { class: `badge status-${d.status}`, text: statusLabel(d.status) });
  return d.status === "moot" ? h("span", { class: "moot-reason" }, badge, ` — ${mootReason(d, decisionDate)}`) : badge;
}

// The deadline's name as one line of text: "Fee due: Pay the parole fee", else its title.
export function deadlineTitle(d) {
  if (NAMED_KINDS.has(d.kind)) return deadlineKindLabel(d.kind);
  return LABELLED_KINDS.has(d.kind) ? `${deadlineKindLabel(d.kind)}: ${d.title}` : d.title;
}

// The short name for a crowded place (a calendar day): the plain label of a labelled kind.
export function deadlineShortTitle(d) {
  return LABELLED_KINDS.has(d.kind) || NAMED_KINDS.has(d.kind) ? deadlineKindLabel(d.kind) : d.title;
}

// "RFE" or "NOID": the notice a response deadline answers.
export const noticeNoun = (d) => (d.kind === "noid_response" ? "NOID" : "RFE");

// The "What" cell: the name, the window opening, and what needs doing. editNotice: an element
// offering to edit the RFE/NOID whose printed date is missing (a button, a link), or null;
// ownNote: whether a client's own deadline says so (not on the client's page itself).
export function deadlineWhat(d, { editNotice = null, ownNote = true } = {}) {
  const cell = h("span", { class: "deadline-what" });
  if (LABELLED_KINDS.has(d.kind)) cell.append(h("strong", { text: deadlineKindLabel(d.kind) }), h("span", { class: "muted", text: ` (${d.title})` }));
  else if (NAMED_KINDS.has(d.kind)) cell.append(h("strong", { text: deadlineKindLabel(d.kind) }));
  else cell.append(d.title);
  if (ownNote && isClientsOwn(d)) cell.append(h("span", { class: "muted" }, " — ", h("a", { href: `#/clients/${d.client_id}`, class: "own-deadline", text: "the client's own deadline" })));
  const open = isOpen(d);
  if (d.premature && open) {
    cell.append(h("span", { class: "deadline-note warning premature", text: `The re-parole filing came before the window opened${d.opens_on ? ` (opens ${formatDate(d.opens_on)})` : ""}: USCIS may reject it, so this deadline stays open.` }));
  } else if (d.opens_on) {
    cell.append(h("span", { class: "muted", text: ` (window opens ${formatDate(d.opens_on)})` }));
  }
  if (d.basis === "computed_maximum" && open) {
    cell.append(h("span", { class: "deadline-note warning computed-maximum" },
      "Computed maximum — enter the date printed on the notice", editNotice ? " " : null, editNotice));
  }
  return cell;
}
