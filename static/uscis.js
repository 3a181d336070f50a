// uscis: the request page's "USCIS case status" section. The nightly `paroletrack uscis-sync`
// asks USCIS about each receipt number of the request and keeps every change of status
// (GET /api/v1/parole-requests/{id}/uscis-statuses, newest first). The latest is shown in full,
// the older ones under it a page at a time. A status may propose an event (an RFE, a decision,
// an appointment): nothing is recorded until a person does it here. "Record RFE" opens the RFE
// section's own form filled in with what the status says; only once that form is saved is the
// status marked confirmed (PATCH with If-Match). "Dismiss" marks it dismissed; "Undo" opens it
// again. Viewers see the statuses without the buttons.
import { api, listAll, problemText } from "./api.js";
import { h, fill, statusLine, announce, loadMoreButton } from "./dom.js";
import { formatDate, formatInstant } from "./format.js";
import { proposalLabel, proposalNoun } from "./labels.js";
import { pagedList } from "./pages.js";

const PAGE = 10; // older statuses per "Load more"

// A calendar date as USCIS may give it ("2026-12-01"): usable to fill in a form's date.
const isIsoDate = (v) => typeof v === "string" && /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(v);

// USCIS's date of a status as the firm reads it (a string USCIS wrote otherwise: shown as given).
const uscisDateText = (v) => (isIsoDate(v) ? formatDate(v) : v);

// A receipt number compared the way the server stores it (letters and digits, upper case).
const receiptKey = (v) => String(v || "").toUpperCase().replace(/[^A-Z0-9]/g, "");

// The section. card: {sec, body} (sections.card); base: the request's API path; ctx: the
// page's abilities; catalogue: the field catalogue; childCards: the request's event sections
// (their openAdd / openEdit open the forms that record a proposal); onChanged(): called after a
// status changed (the page draws its history again). Returns {draw()}.
export function uscisSection({ card, base, ctx, catalogue, childCards, onChanged }) {
  const url = `${base}/uscis-statuses`;
  const known = new Map(); // status id -> {record, slot}: the proposal part, drawn again in place
  const intro = h("p", { class: "muted", text: "What USCIS's online case status says about this request's receipt numbers, checked every night. Nothing is recorded from it until someone here records it." });

  async function draw() {
    const list = pagedList([url]);
    const first = await list.next(PAGE + 1);
    known.clear();
    if (!first.ok) { fill(card.body, statusLine("error", problemText(first))); return; }
    if (first.items.length === 0) {
      fill(card.body, statusLine("empty", "No USCIS status yet. Statuses appear here after the nightly USCIS check runs for this request's receipt numbers."));
      return;
    }
    const [latest, ...older] = first.items;
    const history = h("ol", { class: "uscis-history", id: "uscis-history" });
    const more = loadMoreButton("uscis-more", list, PAGE, card.body, (items) => {
      const added = items.map((s) => statusView(s, false));
      history.append(...added);
      return added;
    }, problemText);
    history.append(...older.map((s) => statusView(s, false)));
    // (A first page of one status has no next page: the history then stays empty.)
    fill(card.body, intro, statusView(latest, true),
      older.length ? [h("h3", { id: "uscis-history-title", text: "Earlier statuses" }), history, more] : null);
  }

  // One status: its text, USCIS's date, the receipt number, when it was checked, the English
  // description (the Spanish behind a toggle) and what it proposes. latest: the one shown first.
  function statusView(s, latest) {
    const titleId = `uscis-status-${s.id}-title`;
    const spanishId = `uscis-status-${s.id}-es`;
    const hasSpanish = Boolean(s.status_text_es || s.status_desc_es);
    const spanish = hasSpanish ? h("div", { class: "uscis-spanish", id: spanishId, lang: "es", hidden: true },
      s.status_text_es ? h("p", {}, h("strong", { text: s.status_text_es })) : null,
      s.status_desc_es ? h("p", { text: s.status_desc_es }) : null) : null;
    const toggle = hasSpanish ? h("button", { type: "button", class: "small", text: "Show in Spanish", "aria-expanded": "false", "aria-controls": spanishId, onclick: () => {
      spanish.hidden = !spanish.hidden;
      toggle.setAttribute("aria-expanded", String(!spanish.hidden));
      toggle.textContent = spanish.hidden ? "Show in Spanish" : "Hide Spanish";
    } }) : null;
    const slot = h("div", { class: "proposal-slot" });
    known.set(s.id, { record: s, slot });
    drawProposal(s);
    return h(latest ? "div" : "li", { class: latest ? "uscis-status uscis-latest" : "uscis-status", id: `uscis-status-${s.id}`, "data-status": String(s.id), tabindex: "-1" },
      latest ? h("p", { class: "uscis-kicker muted", text: "Latest status" }) : null,
      h("p", { class: latest ? "uscis-text uscis-text-latest" : "uscis-text", id: titleId }, h("strong", { text: s.status_text_en })),
      h("p", { class: "facts uscis-facts" },
        s.uscis_date ? h("span", { text: `USCIS date: ${uscisDateText(s.uscis_date)}` }) : null,
        h("span", { text: `Receipt ${s.receipt_number}` }),
        s.form_type ? h("span", { text: `Form ${s.form_type}` }) : null,
        h("span", { class: "muted", text: `Checked ${formatInstant(s.fetched_at)}` })),
      s.status_desc_en ? h("p", { class: "uscis-desc", text: s.status_desc_en }) : null,
      toggle, spanish, slot);
  }

  // What a status proposes and what became of it, with the buttons (writers only).
  function drawProposal(s, note = null) {
    const entry = known.get(s.id);
    if (!entry) return;
    entry.record = s;
    const { slot } = entry;
    if (!s.proposes || !s.proposal_state) { fill(slot); return; }
    const describedBy = `uscis-status-${s.id}-title`;
    const label = proposalLabel(s.proposes);
    const noteLine = note ? h("p", { class: `state ${note.error ? "state-error" : "state-status"}`, role: note.error ? "alert" : "status", text: note.text }) : null;
    if (s.proposal_state === "open") {
      fill(slot, h("div", { class: "proposal proposal-is-open" },
        ctx.canWrite ? h("p", {}, "USCIS says: ", h("strong", { text: s.status_text_en }), ". Record it?")
          : h("p", {}, h("span", { class: "badge proposal-open", text: "Not recorded yet" }), " USCIS says: ", h("strong", { text: s.status_text_en }), ` (${label}).`),
        ctx.canWrite ? h("p", { class: "actions" },
          h("button", { type: "button", class: "primary", text: recordsWithForm(s) ? `Record ${proposalNoun(s.proposes)}` : "Mark as recorded", "aria-describedby": describedBy, onclick: (ev) => record(s.id, ev.currentTarget) }),
          h("button", { type: "button", text: "Dismiss", "aria-describedby": describedBy, onclick: () => dismiss(s.id) })) : null,
        noteLine));
      return;
    }
    const confirmed = s.proposal_state === "confirmed";
    fill(slot, h("div", { class: "proposal" },
      h("p", {}, h("span", { class: `badge proposal-${s.proposal_state}`, text: confirmed ? "Recorded" : "Dismissed" }),
        ` ${label}${confirmed ? "" : ": nothing was recorded"}`,
        ctx.canWrite ? " " : null,
        ctx.canWrite ? h("button", { type: "button", class: "small", text: "Undo", "aria-label": `Undo: mark “${s.status_text_en}” as not recorded yet`, onclick: () => reopen(s.id) }) : null),
      noteLine));
  }

  // Whether a proposal is recorded through a form (else it is only marked as recorded).
  function recordsWithForm(s) {
    return s.proposes !== "withdrawal" || decisionOutcomes().includes("withdrawn");
  }
  function decisionOutcomes() {
    const f = (catalogue.decisions || []).find((x) => x.name === "outcome");
    return (f && f.choices) || [];
  }

  // Which section's form records a proposal and what it starts with: {collection, initial,
  // focus} for a new record, {collection, edit: id, ...} to complete an existing one, or
  // {ask} to mark it recorded after a question (nothing to fill in).
  async function plan(s) {
    const date = isIsoDate(s.uscis_date) ? s.uscis_date : null;
    const dated = (name) => (date ? { [name]: date } : {});
    switch (s.proposes) {
      case "rfe": case "noid":
        return { collection: "rfes", initial: { kind: s.proposes, ...dated("issued_on") } };
      case "interview":
        return { collection: "interviews", initial: { kind: "interview" }, focus: "scheduled_at" };
      case "biometrics":
        return { collection: "interviews", initial: { kind: "biometrics", outcome: "completed" }, focus: "scheduled_at" };
      case "decision_approved": case "decision_denied":
        return { collection: "decisions", initial: { outcome: s.proposes === "decision_approved" ? "approved" : "denied", ...dated("decided_on") } };
      case "withdrawal":
        return recordsWithForm(s) ? { collection: "decisions", initial: { outcome: "withdrawn", ...dated("decided_on") } }
          : { ask: `There is no form for a withdrawal. Mark “${s.status_text_en}” as recorded?` };
      case "receipt": {
        // The receipt number comes from one of the request's filings: complete that filing.
        const filings = await listAll(`${base}/filings`);
        const filing = filings.ok ? filings.data.items.find((f) => receiptKey(f.receipt_number) === receiptKey(s.receipt_number)) : null;
        if (filing && filing.receipt_notice_on) return { ask: `Filing ${filing.id} (${filing.form}) already has its receipt notice date, ${formatDate(filing.receipt_notice_on)}. Mark “${s.status_text_en}” as recorded?` };
        if (filing) return { collection: "filings", edit: filing.id, initial: dated("receipt_notice_on"), focus: "receipt_notice_on" };
        const forms = ((catalogue.filings || []).find((x) => x.name === "form") || {}).choices || [];
        return { collection: "filings", initial: { receipt_number: s.receipt_number, ...(forms.includes(s.form_type) ? { form: s.form_type } : {}), ...dated("receipt_notice_on") } };
      }
      default:
        return { ask: `Mark “${s.status_text_en}” as recorded?` };
    }
  }

  // "Record …": open the form that records the proposal; its save marks the status confirmed.
  async function record(id, button) {
    const s = known.get(id).record;
    const p = await plan(s);
    if (p.ask) {
      if (confirm(p.ask)) await change(id, "confirmed", "Marked as recorded.");
      return;
    }
    const c = childCards.find((x) => x.spec.collection === p.collection);
    if (!c || !c.openAdd) { drawProposal(s, { error: true, text: "The form for this could not be opened. Reload the page and try again." }); return; }
    if (c.formOpen() && !confirm(`A form is already open in “${c.spec.title}”. Replace it? What is typed there is lost.`)) return;
    const hooks = {
      title: p.edit ? `Edit ${c.spec.noun} ${p.edit} — from USCIS: ${s.status_text_en}` : `New ${c.spec.noun} — from USCIS: ${s.status_text_en}`,
      intro: "Check what is filled in from the USCIS status and complete the rest. Saving also marks the USCIS status as recorded; Cancel records nothing.",
      // The record is saved: now (only now) the status is confirmed.
      onSaved: async () => {
        const r = await setState(id, "confirmed");
        if (r.ok) { drawProposal(r.data); onChanged(); return; }
        const again = await api("GET", `${url}/${id}`);
        drawProposal(again.ok ? again.data : known.get(id).record, { error: true, text: r.status === 412
          ? `The ${c.spec.noun} was saved, but someone else changed this USCIS status meanwhile, so it was not marked as recorded. It is shown as it is now.`
          : `The ${c.spec.noun} was saved, but this USCIS status could not be marked as recorded: ${problemText(r)}` });
      },
      onCancel: () => { if (button.isConnected) button.focus(); },
    };
    if (p.edit) await c.openEdit({ id: p.edit }, p.focus || null, p.initial, hooks);
    else c.openAdd(p.initial, { ...hooks, focus: p.focus });
  }

  async function dismiss(id) {
    const s = known.get(id).record;
    if (!confirm(`Dismiss “${s.status_text_en}”? Nothing is recorded from it. You can undo this.`)) return;
    await change(id, "dismissed", "Dismissed.");
  }

  // Undo: open again. What was recorded from it stays (the line under it says so).
  async function reopen(id) {
    const s = known.get(id).record;
    if (s.proposal_state !== "confirmed") { await change(id, "open", "Not recorded yet again."); return; }
    await change(id, "open", `Not recorded yet again. Anything already recorded from it (the ${proposalNoun(s.proposes)}) stays: delete it in its section if it was wrong.`, true);
  }

  function setState(id, state) {
    return api("PATCH", `${url}/${id}`, { body: { proposal_state: state }, ifMatch: known.get(id).record.version });
  }

  // Change a status's proposal state, draw it again in place (with the message under it when
  // `keep`) and put focus on its first button.
  async function change(id, state, message, keep = false) {
    const r = await setState(id, state);
    if (r.ok) {
      drawProposal(r.data, keep ? { text: message } : null);
      announce(message);
      onChanged();
    } else {
      const again = await api("GET", `${url}/${id}`);
      drawProposal(again.ok ? again.data : known.get(id).record, { error: true, text: r.status === 412
        ? "Someone else changed this status after the page was loaded, so nothing was changed. It is shown as it is now."
        : `Nothing was changed: ${problemText(r)}` });
    }
    const slot = known.get(id).slot;
    (slot.querySelector("button") || slot.closest(".uscis-status"))?.focus();
  }

  // Scroll to a status (the timeline's link), or to the section when it is not on the page.
  function show(id) {
    const target = document.getElementById(`uscis-status-${id}`) || document.getElementById(`${card.sec.id}-title`);
    if (!target) return;
    target.tabIndex = -1;
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }

  return { draw, show };
}
