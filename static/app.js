// paroletrack dashboard: sign-in and the Today page. Every value from the server is inserted as
// text (textContent), never as markup.

const $ = (id) => document.getElementById(id);
let csrf = null;

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrf && method !== "GET") headers["X-CSRF-Token"] = csrf;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, data };
}

function show(section) {
  for (const id of ["sign-in", "today"]) $(id).hidden = id !== section;
  $("sign-out").hidden = section === "sign-in";
}

function isoDay(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return d.toISOString().slice(0, 10);
}

async function loadToday(session) {
  show("today");
  $("who").textContent = `${session.user.name} (${session.user.role})`;
  const { status, data } = await api("GET", `/api/v1/deadlines?to=${isoDay(14)}&limit=200`);
  const body = $("due").querySelector("tbody");
  body.replaceChildren();
  if (status !== 200) {
    $("today-status").textContent = "The deadlines could not be loaded.";
    return;
  }
  const open = data.items.filter((d) => d.status !== "met");
  $("today-status").textContent = open.length ? `${open.length} deadline(s)` : "Nothing due in the next 14 days.";
  for (const d of open) {
    const row = body.insertRow();
    const due = row.insertCell();
    due.textContent = d.due_at ? new Date(d.due_at).toLocaleString() : d.due_on;
    if (d.status === "overdue") due.className = "overdue";
    row.insertCell().textContent = `PR-${d.parole_request_id}`;
    row.insertCell().textContent = d.title;
    row.insertCell().textContent = d.status.replace("_", " ");
    const rule = row.insertCell();
    rule.className = "rule";
    rule.textContent = `${d.rule.code}: ${d.rule.citation_source}`;
  }
}

async function start() {
  const { status, data } = await api("GET", "/api/v1/session");
  if (status === 200 && data.second_factor !== "not_enrolled") {
    csrf = data.csrf_token;
    await loadToday(data);
  } else {
    show("sign-in");
  }
}

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  const body = { email: $("email").value, password: $("password").value };
  if (!$("totp").hidden && $("totp").value) body.totp_code = $("totp").value;
  const { status, data } = await api("POST", "/api/v1/session", body);
  if (status === 201) {
    csrf = data.csrf_token;
    if (data.second_factor === "not_enrolled") {
      $("sign-in-error").textContent = "Your role needs an authenticator app; set it up first.";
      return;
    }
    await loadToday(data);
  } else if (data && data.type && data.type.endsWith("second-factor-required")) {
    $("totp").hidden = false;
    $("totp-label").hidden = false;
    $("totp").focus();
    $("sign-in-error").textContent = "Enter the code from your authenticator app.";
  } else {
    $("sign-in-error").textContent = (data && data.detail) || "Sign-in failed.";
  }
});

$("sign-out").addEventListener("click", async () => {
  await api("DELETE", "/api/v1/session");
  csrf = null;
  $("who").textContent = "";
  show("sign-in");
});

start();
