// account: the signed-in user's own settings: password, authenticator app (second factor) and
// calendar feed link. A user whose role needs an authenticator and has none lands here first.
import { api, problemText } from "./api.js";
import { h, fill, statusLine, svg, announce } from "./dom.js";
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

// The QR code of the set-up link, drawn from the modules the server sends (one path of dark
// squares on a light square with a margin of four modules): no markup from the server.
function qrImage(qr) {
  if (!qr) return null;
  const margin = 4, side = qr.size + 2 * margin;
  let d = "";
  qr.rows.forEach((row, y) => { for (let x = 0; x < row.length; x++) if (row[x] === "1") d += `M${x + margin} ${y + margin}h1v1h-1z`; });
  return h("figure", { class: "qr" },
    svg("svg", { id: "totp-qr", viewBox: `0 0 ${side} ${side}`, width: "220", height: "220", role: "img", "aria-label": "QR code for the authenticator app", "shape-rendering": "crispEdges" },
      svg("rect", { width: side, height: side, fill: "#fff" }), svg("path", { d, fill: "#000" })));
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
      const codes = c.data.recovery_codes.join("\n");
      const file = URL.createObjectURL(new Blob([`paroletrack recovery codes for ${ctx.session.user.email}\n${codes}\n`], { type: "text/plain" }));
      fill(body, h("p", { text: "Done. You are signed out everywhere else. Keep these recovery codes somewhere safe: each signs you in once if you lose the app. They are shown only now." }),
        h("ul", { class: "codes", id: "recovery-codes" }, c.data.recovery_codes.map((rc) => h("li", { text: rc }))),
        h("p", { class: "actions" },
          h("button", { type: "button", id: "recovery-copy", text: "Copy the codes", onclick: async (event) => {
            await navigator.clipboard.writeText(codes).then(() => { event.target.textContent = "Copied"; announce("The recovery codes are copied."); },
              () => { event.target.textContent = "Copy failed: select the codes instead"; });
          } }),
          h("a", { class: "button", id: "recovery-download", href: file, download: "paroletrack-recovery-codes.txt", text: "Download as a file" })),
        h("button", { type: "button", class: "primary", text: "Continue", onclick: () => { URL.revokeObjectURL(file); ctx.refreshSession(); } }));
    });
    fill(body, h("p", { text: "Scan this code with the authenticator app on your phone:" }),
      qrImage(r.data.qr),
      h("p", { text: "Or add an account in the app with this key (or open the link on a phone that has the app):" }),
      h("p", {}, h("code", { class: "secret", id: "totp-secret", text: r.data.secret })),
      h("p", {}, h("a", { href: r.data.otpauth_uri, text: "Open in authenticator app" })), form);
    code.focus();
  }
  return h("section", { class: "card", "aria-labelledby": "totp-title" }, h("h2", { id: "totp-title", text: "Authenticator app" }), body);
}
