// programs: the parole programs (GET /api/v1/programs) as people read them. The list for the
// request form's program choice, the plain words for a termination and its exceptions, the note
// beside a deadline whose date a program's termination set (`program_code`), and the rows in
// which an admin edits a program's exceptions.
import { listAll } from "./api.js";
import { h, humanize } from "./dom.js";
import { formatDate } from "./format.js";
import { choiceLabel } from "./labels.js";

let programs = null;

// Every program, read afresh by each page that shows or offers them (a handful of rows; an admin
// may have just added one), the last list read kept for the forms and notes drawn from it. When
// the list cannot be read, the last one read (or []).
export async function programList() {
  const r = await listAll("/api/v1/programs");
  if (r.ok) programs = r.data.items;
  return programs || [];
}

// Forget the cached list (sign-out, or an admin changed a program).
export function forgetPrograms() { programs = null; }

// The program of a code from the cached list (undefined when unknown or not read yet).
export function programOf(code) {
  return code ? (programs || []).find((p) => p.code === code) : undefined;
}

// "Uniting for Ukraine (U4U)"; the code alone for a program not in the list.
export function programLabel(code) {
  if (!code) return "";
  const p = programOf(code);
  return p ? `${p.name} (${code.toUpperCase()})` : code.toUpperCase();
}

// "Exception: I-485 filed on or before Dec 15, 2025".
export function exceptionText(e) {
  if (e.kind === "filing_on_or_before") return `Exception: ${e.form} filed on or before ${formatDate(e.on_or_before)}`;
  return `Exception: ${humanize(e.kind)} (${e.form}, ${formatDate(e.on_or_before)})`;
}

// The select of the parole request form's `program` field: an empty choice, then every program
// by name and code (a terminated one says so); a current value no program has stays selectable.
// Before the list is read (or when it could not be), a text input as before.
export function programSelect(attrs, value) {
  if (!programs) return h("input", { ...attrs, type: "text", autocomplete: "off", value: value || "" });
  const select = h("select", attrs, h("option", { value: "", text: "—" }),
    programs.map((p) => h("option", { value: p.code, text: `${p.name} (${p.code.toUpperCase()})${p.terminated_on ? ` — terminated ${formatDate(p.terminated_on)}` : ""}` })));
  if (value && !programs.some((p) => p.code === value)) select.append(h("option", { value, text: `${value} (not a known program)` }));
  select.value = value || "";
  return select;
}

// The rule cell of a deadline whose date a program set (d.program_code): that the program was
// terminated, its notice (the deadline's rule citation), and what the date is.
export function terminationNote(d) {
  const p = programOf(d.program_code);
  let why = "";
  if (p && p.terminated_on && d.due_on === p.terminated_on) why = `${p.code.toUpperCase()} ended on ${formatDate(p.terminated_on)}: parole under it ends that day.`;
  else if (p && p.terminated_on) why = `${p.code.toUpperCase()} ended on ${formatDate(p.terminated_on)}; its exception kept this parole until the decision on the qualifying filing.`;
  return h("span", { class: "rule program-terminated" }, h("strong", { text: "Program terminated" }),
    ` — ${d.rule.citation_source} (${formatDate(d.rule.citation_date)})`,
    why ? h("span", { class: "why", text: why }) : null);
}

// The control of a program's `exceptions` (a field's `control`, see forms.js): one row per
// exception, kind fixed to filing_on_or_before, the form chosen from formChoices (the filing
// forms of the field catalogue; a text input when it lists none), the last filing date and the
// notice's words. A row left wholly empty is not sent. A server error naming an entry
// ("entry 1: form must be ...") is shown beside that row.
const MAX_EXCEPTIONS = 8;
const MEMBER_LABELS = { kind: "Kind", form: "Form", on_or_before: "Filed on or before", description: "Description" };

export function exceptionsControl(formChoices = []) {
  const sent = new WeakMap(); // group -> the rows of the last read, in the order sent
  const input = (row, member) => row.querySelector(`[name="exception_${member === "kind" ? "form" : member}"]`);
  return {
    make(attrs, value, label) {
      const rows = h("div", { class: "exception-rows" });
      const group = h("fieldset", { id: attrs.id, name: attrs.name, class: "exceptions", "aria-describedby": attrs["aria-describedby"] },
        h("legend", { text: label }),
        h("p", { class: "muted", text: "Each exception keeps the parole of a request with a filing of the form made on or before the date." }),
        rows);
      let counter = 0;
      const add = h("button", { type: "button", class: "small", text: "Add exception", onclick: () => { addRow(null).querySelector("select, input").focus(); } });
      const renumber = () => {
        const all = [...rows.children];
        all.forEach((row, i) => {
          row.querySelector("legend").textContent = `Exception ${i + 1}`;
          row.querySelector("button").setAttribute("aria-label", `Remove exception ${i + 1}`);
        });
        add.disabled = all.length >= MAX_EXCEPTIONS;
      };
      const addRow = (e) => {
        const k = `${attrs.id}-${++counter}`;
        const form = formChoices.length
          ? h("select", { id: `${k}-form`, name: "exception_form", "aria-describedby": `${k}-error` }, h("option", { value: "", text: "—" }),
            formChoices.map((c) => h("option", { value: c, text: choiceLabel(c) })))
          : h("input", { id: `${k}-form`, name: "exception_form", type: "text", autocomplete: "off", "aria-describedby": `${k}-error` });
        if (e && e.form && form.tagName === "SELECT" && !formChoices.includes(e.form)) form.append(h("option", { value: e.form, text: e.form }));
        form.value = (e && e.form) || "";
        const on = h("input", { id: `${k}-on`, name: "exception_on_or_before", type: "date", min: "1900-01-01", max: "2199-12-31", value: (e && e.on_or_before) || "", "aria-describedby": `${k}-error` });
        const description = h("textarea", { id: `${k}-description`, name: "exception_description", rows: 2, value: (e && e.description) || "", "aria-describedby": `${k}-error` });
        const row = h("fieldset", { class: "exception-row" }, h("legend"),
          h("div", { class: "field" }, h("label", { for: form.id, text: "Form filed" }), form),
          h("div", { class: "field" }, h("label", { for: on.id, text: "Filed on or before" }), on),
          h("div", { class: "field field-wide" }, h("label", { for: description.id, text: "Description (the notice's words)" }), description),
          h("p", { class: "field-error", id: `${k}-error` }),
          h("button", { type: "button", class: "small danger", text: "Remove", onclick: () => {
            const next = row.nextElementSibling || row.previousElementSibling;
            row.remove();
            renumber();
            (next ? next.querySelector("button.danger") : add).focus();
          } }));
        rows.append(row);
        renumber();
        return row;
      };
      for (const e of value || []) addRow(e);
      group.append(h("div", { class: "form-actions" }, add));
      renumber();
      return group;
    },
    read(group) {
      const out = [], rows = [];
      for (const [i, row] of [...group.querySelectorAll(".exception-row")].entries()) {
        const [form, on, description] = ["form", "on_or_before", "description"].map((m) => input(row, m));
        if (on.validity.badInput) return { invalid: `exception ${i + 1}: the date is not complete` };
        if (!form.value.trim() && !on.value && !description.value.trim()) continue;
        out.push({ kind: "filing_on_or_before", form: form.value.trim(), on_or_before: on.value || null, description: description.value });
        rows.push(row);
      }
      sent.set(group, rows);
      return out;
    },
    // Beside the row an error names ("entry 1: ...", "exceptions[1].note"); returns the input to
    // focus, or null to show it under the whole field.
    showError(group, error) {
      let n = null, member = null, message = error.message;
      const entry = /^entry (\d+):?\s*(.*)$/.exec(error.message || "");
      const named = /^exceptions\[(\d+)\]\.(.+)$/.exec(error.field || "");
      if (error.field === "exceptions" && entry) {
        n = Number(entry[1]);
        const m = /^(kind|form|on_or_before|description)\b\s*(.*)$/.exec(entry[2]);
        if (m) { member = m[1]; message = `${MEMBER_LABELS[m[1]]} ${m[2]}`; } else message = entry[2] || error.message;
      } else if (named) { n = Number(named[1]); message = `${named[2]}: ${error.message}`; }
      const row = n === null ? null : (sent.get(group) || [])[n];
      if (!row) return null;
      const slot = row.querySelector(".field-error");
      slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
      const target = input(row, member || "form");
      target.setAttribute("aria-invalid", "true");
      return target;
    },
    clearErrors(group) {
      for (const slot of group.querySelectorAll(".exception-row .field-error")) slot.textContent = "";
      for (const el of group.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    },
  };
}

// A program's exceptions, one line each, for a table cell ("None" when there is none).
export function exceptionsSummary(exceptions) {
  if (!exceptions || exceptions.length === 0) return h("span", { class: "muted", text: "None" });
  return h("ul", { class: "plain compact" }, exceptions.map((e) => h("li", { text: exceptionText(e) })));
}
