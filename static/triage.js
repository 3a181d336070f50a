// triage: what a person decides about a deadline on Today (issue 15): mark it handled with a
// reason, snooze it to a later day, or assign it to someone. Each is a small form that opens in
// place under the deadline's row and sends PATCH /api/v1/deadlines/{id} with the version the
// row was read at (If-Match), so a change made meanwhile in another tab is reported, not lost.
import { api, problemText } from "./api.js";
import { h, fill, announce } from "./dom.js";
import { addDays, firmToday, formatDate } from "./format.js";
import { assigneeList } from "./forms.js";

// Words for what the server names in errors[].field.
const FIELD_WORDS = { handled_reason: "Reason", snoozed_until: "Snooze until", assignee_id: "Assign to" };

// The problem of a refused change, in words: each bad field and what is wrong with it.
function refusalText(r) {
  if (r.status === 412) return "Someone changed this deadline meanwhile. Reload Today to see what they did.";
  const fields = (r.problem.errors || []).map((e) => `${FIELD_WORDS[e.field] || e.field}: ${e.message}.`);
  return fields.length ? fields.join(" ") : problemText(r);
}

// Send one change; on success close the form (empty `slot`) and call onChanged with the
// deadline as stored.
async function send(d, body, error, onChanged, done) {
  const r = await api("PATCH", `/api/v1/deadlines/${d.id}`, { body, ifMatch: d.version });
  if (!r.ok) {
    fill(error, refusalText(r));
    return;
  }
  fill(error.closest(".triage-slot"));
  announce(done);
  onChanged(r.data);
}

// The form of one action, shown in `slot` (replacing any other open there): a labelled input,
// Save and Cancel. Returns the form.
function actionForm(slot, { id, label, input, hint, submit, onSubmit }) {
  const error = h("p", { class: "error", role: "alert", id: `${id}-error` });
  const form = h("form", { class: "triage-form", novalidate: true, onsubmit: (event) => { event.preventDefault(); onSubmit(error); } },
    h("label", { for: `${id}-input`, text: label }), input,
    hint ? h("p", { class: "muted", text: hint }) : null,
    error,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", text: submit }),
      h("button", { type: "button", text: "Cancel", onclick: () => fill(slot) })));
  input.id = `${id}-input`;
  input.setAttribute("aria-describedby", `${id}-error`);
  fill(slot, form);
  input.focus();
  return form;
}

// The controls of deadline d: three buttons, and the place their forms open. onChanged(updated)
// is called after a change is stored (Today then takes the row off the queue or redraws it).
export function triageControls(d, ctx, onChanged) {
  if (!ctx.canWrite) return null;
  const key = d.id.replace(/[^a-z0-9]/g, "-");
  const slot = h("div", { class: "triage-slot" });
  const handled = () => actionForm(slot, {
    id: `handled-${key}`, label: "What was done, or why nothing more is needed",
    input: h("input", { type: "text", maxlength: "1000", autocomplete: "off" }),
    hint: "It leaves the queue and sends no more reminders; an admin can reopen it.",
    submit: "Mark handled",
    onSubmit: (error) => {
      const reason = slot.querySelector("input").value.trim();
      if (!reason) { fill(error, "Reason: say what was done, or why nothing more is needed."); return; }
      send(d, { handled_reason: reason }, error, onChanged, "Marked handled.");
    },
  });
  const snooze = () => actionForm(slot, {
    id: `snooze-${key}`, label: "Hide it from the queue until",
    input: h("input", { type: "date", min: addDays(firmToday(), 1), max: addDays(firmToday(), 366), value: addDays(firmToday(), 7) }),
    hint: "Reminders still go out; it comes back to the queue on that day.",
    submit: "Snooze",
    onSubmit: (error) => {
      const until = slot.querySelector("input").value;
      if (!until) { fill(error, "Snooze until: choose a day."); return; }
      send(d, { snoozed_until: until }, error, onChanged, `Snoozed until ${formatDate(until)}.`);
    },
  });
  const assign = async () => {
    const people = (await assigneeList()).filter((u) => u.role !== "viewer");
    const select = h("select", {}, h("option", { value: "", text: "No one" }),
      people.map((u) => h("option", { value: String(u.id), text: `${u.name} (${u.role})`, selected: u.id === d.assignee_id })));
    actionForm(slot, {
      id: `assign-${key}`, label: "Assign this deadline to", input: select, submit: "Assign",
      onSubmit: (error) => {
        const chosen = select.value ? Number(select.value) : null;
        const person = people.find((u) => u.id === chosen);
        send(d, { assignee_id: chosen }, error, onChanged, person ? `Assigned to ${person.name}.` : "Unassigned.");
      },
    });
  };
  return h("div", { class: "triage" },
    h("div", { class: "triage-buttons" },
      h("button", { type: "button", class: "small", text: "Handled…", "aria-label": `Mark handled: ${d.title}`, onclick: handled }),
      h("button", { type: "button", class: "small", text: "Snooze…", "aria-label": `Snooze: ${d.title}`, onclick: snooze }),
      h("button", { type: "button", class: "small", text: "Assign…", "aria-label": `Assign: ${d.title}`, onclick: assign })),
    slot);
}
