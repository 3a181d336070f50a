// account: the signed-in user's own settings: password, authenticator app (second factor) and
// calendar feed link. A user whose role needs an authenticator and has none lands here first.
import { api, problemText } from "./api.js";
import { h, fill, statusLine } from "./dom.js";
import { recordForm } from "./forms.js";
import { feedSection } from "./calendar.js";

const PASSWORD_FIELDS = [
  { name: "old_password", type: "text", required: true, single_line: true, max_length: 1024 },
  { name: "new_password", type: "text", required: true, single_line: true, max_length: 1024 },
];

export async function render(page, params, ctx) {
  const user = ctx.session.user;
  page.append(h("h1", { text: "My account" }), h("p", { class: "muted", text: `${user.name} · ${user.email} · ${user.role}` }));
  if (ctx.enrolling || !user.totp_enabled) page.append(totpSection(ctx));
  const pw = h("div");
  page.append(h("section", { class: "card", "aria-labelledby": "password-title" }, h("h2", { id: "password-title", text: "Change password" }), pw));
  const form = recordForm({
    fields: PASSWORD_FIELDS, submitLabel: "Change password",
    save: (b) => api("POST", "/api/v1/me/password", { body: b }),
    onSaved: () => ctx.signInAgain("Your password has been changed and every session of yours has ended. Sign in with the new password."),
  });
  for (const input of form.querySelectorAll("input")) { input.type = "password"; input.autocomplete = input.name === "old_password" ? "current-password" : "new-password"; }
  pw.append(h("p", { class: "muted", text: "At least 12 characters, not a common or dictionary-based password." }), form);
  if (!ctx.enrolling && ctx.canWrite) page.append(feedSection()); // viewers are assigned no cases
}

// Set up an authenticator app: ask for the password again, ask for a secret, show it, confirm a
// code, show recovery codes. Confirming signs the user out everywhere else.
function totpSection(ctx) {
  const body = h("div");
  const needed = ctx.enrolling;
  fill(body, h("p", { text: needed ? "Your role needs an authenticator app (such as Google Authenticator or 1Password) before you can open case records. Set it up now." : "Add an authenticator app for a second sign-in step." }),
    h("button", { type: "button", class: "primary", id: "totp-begin", text: "Set up an authenticator app", onclick: askPassword }));
  function askPassword() {
    const password = h("input", { id: "totp-password", type: "password", autocomplete: "current-password", "aria-describedby": "totp-password-error" });
    const error = h("p", { class: "field-error", id: "totp-password-error", role: "alert" });
    const form = h("form", { class: "record-form" }, h("label", { for: "totp-password", text: "Your password" }), password, error, h("button", { type: "submit", class: "primary", text: "Continue" }));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const r = await api("POST", "/api/v1/me/totp", { body: { password: password.value } });
      if (!r.ok) {
        const named = r.problem && (r.problem.errors || []).find((x) => x.field === "password");
        error.textContent = named ? named.message : problemText(r);
        password.setAttribute("aria-invalid", "true");
        return;
      }
      begin(r);
    });
    fill(body, h("p", { text: "Enter your password to set up an authenticator app." }), form);
    password.focus();
  }
  function begin(r) {
    const code = h("input", { id: "totp-code", inputmode: "numeric", autocomplete: "one-time-code", "aria-describedby": "totp-code-error" });
    const error = h("p", { class: "field-error", id: "totp-code-error", role: "alert" });
    const form = h("form", { class: "record-form" }, h("label", { for: "totp-code", text: "Code shown by the app" }), code, error, h("button", { type: "submit", class: "primary", text: "Confirm" }));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const c = await api("POST", "/api/v1/me/totp/confirm", { body: { code: code.value.trim() } });
      if (!c.ok) { error.textContent = (c.problem.errors[0] && c.problem.errors[0].message) || problemText(c); code.setAttribute("aria-invalid", "true"); return; }
      fill(body, h("p", { text: "Done. You are signed out everywhere else. Keep these recovery codes somewhere safe: each signs you in once if you lose the app. They are shown only now." }),
        h("ul", { class: "codes", id: "recovery-codes" }, c.data.recovery_codes.map((rc) => h("li", { text: rc }))),
        h("button", { type: "button", class: "primary", text: "Continue", onclick: () => ctx.refreshSession() }));
    });
    fill(body, h("p", { text: "In the app, add an account with this key (or open the link on a phone that has the app):" }),
      h("p", {}, h("code", { class: "secret", id: "totp-secret", text: r.data.secret })),
      h("p", {}, h("a", { href: r.data.otpauth_uri, text: "Open in authenticator app" })), form);
    code.focus();
  }
  return h("section", { class: "card", "aria-labelledby": "totp-title" }, h("h2", { id: "totp-title", text: "Authenticator app" }), body);
}
