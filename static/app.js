// paroletrack dashboard: session, navigation and the page router. Pages live one per module
// (today.js, clients.js, request.js, calendar.js, admin.js, account.js); each renders into a
// fresh container, so a slow answer for a page the user already left lands nowhere.
import { api, setCsrf, onSignedOut } from "./api.js";
import { h, fill, statusLine } from "./dom.js";
import { setFirm } from "./format.js";
import { fieldCatalogue, resetFormCaches, unsavedForms, discardUnsaved } from "./forms.js";
import { forgetClientNames } from "./names.js";
import * as today from "./today.js";
import * as clients from "./clients.js";
import * as request from "./request.js";
import * as cases from "./cases.js";
import * as calendar from "./calendar.js";
import * as admin from "./admin.js";
import * as account from "./account.js";
import { setUpSearch } from "./search.js";

const $ = (id) => document.getElementById(id);
let session = null;
let pausedBySessionEnd = false;

// The routes: a hash pattern and the page that renders it.
const ROUTES = [
  [/^#\/today$/, today.render, "today"],
  [/^#\/clients$/, clients.renderList, "clients"],
  [/^#\/clients\/new$/, clients.renderNew, "clients"],
  [/^#\/clients\/(\d+)$/, clients.renderClient, "clients"],
  [/^#\/requests(?:\?(.*))?$/, cases.render, "requests"],
  [/^#\/requests\/(\d+)(?:\/rfes\/(\d+))?$/, request.render, "requests"], // an RFE: its edit form open
  [/^#\/calendar(?:\/((?:19|20|21)\d{2}-(?:0[1-9]|1[0-2])))?$/, calendar.render, "calendar"],
  [/^#\/admin\/(users|keys|webhooks|rules|programs|fees|audit|settings)$/, admin.render, "admin"],
  [/^#\/admin\/(webhooks)\/(\d+)$/, admin.render, "admin"], // an endpoint's delivery log
  [/^#\/account$/, account.render, "account"],
];

const PAGE_TITLES = { today: "Today", clients: "Clients", requests: "Parole requests", calendar: "Calendar", admin: "Administration", account: "My account" };

// What the signed-in user may do (the server enforces the same): what the role allows comes from
// the field catalogue's roles (null before it is read, or when the session must enrol first).
function abilities(catalogue = null) {
  const role = session.user.role;
  const allowed = ((catalogue && catalogue.roles) || []).find((r) => r.name === role);
  return {
    session,
    role,
    canWrite: Boolean(allowed && allowed.may_write),
    isAdmin: role === "admin",
    enrolling: session.second_factor === "not_enrolled",
    refreshSession: loadSession,
    signInAgain,
  };
}

// Show the page for the current hash.
function route() {
  if (!session || pausedBySessionEnd) return;
  shownHash = location.hash;
  let hash = location.hash || "#/today";
  if (!hash.startsWith("#/")) return; // an in-page anchor, not a page
  if (abilities().enrolling) hash = "#/account";
  const match = ROUTES.find(([pattern]) => pattern.test(hash));
  const view = $("view");
  for (const a of $("nav").querySelectorAll("a")) {
    if (match && a.dataset.page === match[2]) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const container = h("div", { class: "page" });
  fill(view, container);
  view.focus({ preventScroll: true }); // until the page's heading is there to take it
  if (!match) {
    container.append(h("h1", { text: "Page not found" }), h("p", {}, "Go to ", h("a", { href: "#/today", text: "Today" }), "."));
    return;
  }
  const params = hash.match(match[0]).slice(1);
  // The catalogue says what the role may do (a session that must enrol first may not read it).
  const catalogue = abilities().enrolling ? Promise.resolve(null) : fieldCatalogue();
  const rendering = catalogue.then((c) => match[1](container, params, abilities(c))).then(() => {
    // Move focus to the new page's heading, so keyboard and screen-reader users start there.
    const heading = container.isConnected && container.querySelector("h1");
    if (heading && document.activeElement === view) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }).catch((error) => {
    console.error(error);
    container.append(statusLine("error", "This page failed to load. Reload the page; if it happens again, tell your administrator."));
  });
  // The tab's title names the page but never a client (titles end up in browser history).
  const detail = /^#\/(clients|requests)\/(\d+)(?:\/rfes\/\d+)?$/.exec(hash);
  document.title = `${detail ? `${detail[1] === "clients" ? "Client" : "Parole request"} ${detail[2]}` : PAGE_TITLES[match[2]]} — paroletrack`;
  return rendering;
}

// Enter the signed-in state with a session object from the server.
function enter(data) {
  const sameUser = session && session.user.id === data.user.id;
  if (session && !sameUser) forgetPerUserState();
  session = data;
  setCsrf(data.csrf_token, data.user.id);
  resetFormCaches(); // names and roles may have changed while signed out
  forgetClientNames();
  setFirm(data);
  $("who").textContent = `${data.user.name} (${data.user.role})`;
  $("sign-in").hidden = true;
  $("sign-out").hidden = false;
  $("nav").hidden = data.second_factor === "not_enrolled";
  $("search").hidden = data.second_factor === "not_enrolled";
  $("nav").querySelector("[data-admin]").hidden = data.user.role !== "admin";
  $("view").hidden = false;
  const keptPage = sessionStorage.getItem("pt-return-to") === (location.hash || "#/today");
  if (pausedBySessionEnd && sameUser && keptPage && $("view").querySelector("form.record-form")) {
    pausedBySessionEnd = false; // back where the user was, with everything they typed
    sessionStorage.removeItem("pt-return-to");
    return;
  }
  pausedBySessionEnd = false;
  const back = sessionStorage.getItem("pt-return-to");
  sessionStorage.removeItem("pt-return-to");
  if (back && back !== location.hash) location.hash = back;
  else route();
}

// Forget what one user left in this tab (searches, Today's scope) before another signs in.
function forgetPerUserState() {
  for (const key of ["pt-clients", "pt-today-scope"]) sessionStorage.removeItem(key);
}

// Ask for a sign-in; reason explains why (session ended) or is empty.
function showSignIn(reason) {
  $("sign-in").hidden = false;
  $("sign-in-reason").textContent = reason || "";
  $("nav").hidden = true;
  $("search").hidden = true;
  $("sign-out").hidden = true;
  $("totp").hidden = true;
  $("totp-label").hidden = true;
  $("totp").value = "";
  $("password").value = "";
  if ($("email").value) $("password").focus(); else $("email").focus();
}

// The server ended every session of the user (a password change): start afresh at sign-in and
// come back to the current page afterwards.
function signInAgain(reason) {
  const email = session ? session.user.email : "";
  session = null;
  forgetPerUserState();
  setCsrf(null);
  resetFormCaches();
  $("who").textContent = "";
  fill($("view"));
  $("view").hidden = true;
  $("email").value = email;
  showSignIn(reason);
  if (email) $("password").focus();
}

// The session ended while a page was open: keep the page (hidden) and ask for a new sign-in.
onSignedOut(() => {
  if (!session || pausedBySessionEnd) return;
  pausedBySessionEnd = true;
  sessionStorage.setItem("pt-return-to", location.hash || "#/today");
  $("view").hidden = true;
  $("email").value = session.user.email || "";
  showSignIn("Your session has ended. Sign in again to carry on where you were; nothing you typed is lost.");
});

// Fetch the current session (after sign-in, second-factor enrolment or a role change).
async function loadSession() {
  const r = await api("GET", "/api/v1/session");
  if (r.ok) enter(r.data);
  return r;
}

async function start() {
  const r = await api("GET", "/api/v1/session");
  if (r.ok) enter(r.data);
  else {
    if (location.hash && location.hash !== "#/today") sessionStorage.setItem("pt-return-to", location.hash);
    showSignIn("");
  }
}

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  const body = { email: $("email").value.trim(), password: $("password").value };
  const code = $("totp").value.replace(/\s+/g, "");
  if (!$("totp").hidden && code) {
    if (/^\d{6}$/.test(code)) body.totp_code = code; else body.recovery_code = $("totp").value.trim();
  }
  const r = await api("POST", "/api/v1/session", { body });
  if (r.status === 201) {
    if (session && session.user.id !== r.data.user.id) pausedBySessionEnd = false; // someone else: start afresh
    enter(r.data);
  } else if (r.problem && String(r.problem.type).endsWith("second-factor-required")) {
    $("totp").hidden = false;
    $("totp-label").hidden = false;
    $("totp").focus();
    $("sign-in-error").textContent = code ? "That code was not accepted. Try the current one." : "Enter the code from your authenticator app.";
  } else {
    $("sign-in-error").textContent = (r.problem && r.problem.detail) || "Sign-in failed.";
  }
});

$("sign-out").addEventListener("click", async () => {
  await api("DELETE", "/api/v1/session");
  session = null;
  setCsrf(null);
  forgetPerUserState();
  resetFormCaches();
  $("who").textContent = "";
  fill($("view"));
  $("view").hidden = true;
  history.replaceState(null, "", "#/today");
  showSignIn("You have signed out.");
});

// The skip link moves focus without touching the address (which would leave the page).
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  $("view").focus();
});

// Leaving a page with something typed and not saved asks first: within the dashboard with a
// dialog of its own (Stay keeps the page and what was typed), for a reload or a closed tab
// with the browser's own question.
let shownHash = location.hash;
function leaveDialog(onLeave, onStay) {
  const dialog = h("dialog", { id: "leave-dialog", "aria-labelledby": "leave-title" },
    h("h2", { id: "leave-title", text: "Leave without saving?" }),
    h("p", { text: "This page has changes that are not saved yet. If you leave, they are lost." }),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "primary", id: "leave-stay", text: "Stay on this page", onclick: () => { dialog.close(); dialog.remove(); onStay(); } }),
      h("button", { type: "button", id: "leave-go", text: "Leave without saving", onclick: () => { dialog.close(); dialog.remove(); onLeave(); } })));
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); dialog.close(); dialog.remove(); onStay(); });
  document.body.append(dialog);
  dialog.showModal();
  $("leave-stay").focus();
}
window.addEventListener("hashchange", () => {
  const wanted = location.hash;
  if (wanted === shownHash) return;
  if (session && wanted.startsWith("#/") && unsavedForms($("view")).length) {
    history.replaceState(null, "", shownHash || "#/today"); // stay put until the person says
    leaveDialog(() => { discardUnsaved($("view")); shownHash = wanted; location.hash = wanted; route(); }, () => {});
    return;
  }
  shownHash = wanted;
  route();
});
window.addEventListener("beforeunload", (event) => {
  if (session && unsavedForms($("view")).length) { event.preventDefault(); event.returnValue = ""; }
});
setUpSearch();
start();
