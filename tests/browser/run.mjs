// The dashboard's end-to-end tests in a real browser: Debian's Chromium headless driven by
// playwright-core against the real server on a free loopback port with a fresh database. Each
// test leaves a screenshot in the artifacts directory. Prints one line per test and, last,
// "N passed, M failed"; exits non-zero on any failure. PAROLETRACK_BROWSER_ONLY=text runs only
// the tests whose name contains the text (with the first, which signs the paralegal in, and the
// last, which checks for script errors): a quicker run while working on one page.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { startServer, addUser, apiSession, runCli, totp, launchBrowser, artifactsDir, firmDay } from "./harness.mjs";

const PARALEGAL = { email: "pat@firm.test", name: "Pat Paralegal", role: "paralegal", password: "vT9#qLx2!mWz8Rk-harbour" };
const VIEWER = { email: "vic@firm.test", name: "Vic Viewer", role: "viewer", password: "Jq7$wEr4!uPz9Lm-lantern" };
const ADMIN = { email: "ada@firm.test", name: "Ada Admin", role: "admin", password: "Hk3%zXc8!bNm2Qw-meadow" };
const RAE = { email: "rae@firm.test", name: "Rae Paralegal", role: "paralegal", password: "Wp4&nTy7!cVb3Xs-orchard" };
const OLA = { email: "ola@firm.test", name: "Ola Admin", role: "admin", password: "Rb6!tGm3#xKq8Wn-willow" };
const FAY = { email: "fay@firm.test", name: "Fay Admin", role: "admin", password: "Zd5^kLp9!sHw4Jm-thistle" };
const WEN = { email: "wen@firm.test", name: "Wen Admin", role: "admin", password: "Mc8*vRt2!pLs6Yd-juniper" };
const XSS = "<img src=x onerror=alert(1)>";
const RECEIPT = "IOE0912345678";

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function assert(condition, message) { if (!condition) throw new Error(message); }

let server, browser, shots, api, shared = {};

// Record script errors and Content-Security-Policy violations of a page (checked at the end).
function watch(page) {
  page.on("pageerror", (e) => { shared.pageErrors = (shared.pageErrors || []).concat(e.message); });
  page.on("console", (m) => { if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) shared.pageErrors = (shared.pageErrors || []).concat(m.text()); });
  page.on("dialog", (d) => { if (d.type() === "alert") shared.alerted = true; shared.lastDialog = d.message(); d.accept(); });
}

// The sign-in page in a fresh browser context (its own cookies), watched, on the server at base.
async function openPage(viewport = { width: 1280, height: 900 }, base = server.base, contextOptions = {}) {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  watch(page);
  shared.current = page;
  await page.goto(base + "/");
  return page;
}

async function signedInPage(user, viewport) {
  const page = await openPage(viewport);
  await signIn(page, user);
  return page;
}

async function signIn(page, user) {
  await page.locator("#email").waitFor();
  await page.fill("#email", user.email);
  await page.fill("#password", user.password);
  await page.click("#sign-in-form button[type=submit]");
  await page.locator("#sign-in").waitFor({ state: "hidden" });
}

// Wait until the locator's text contains `text`.
async function waitText(locator, text, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let seen = "";
  while (Date.now() < deadline) {
    seen = (await locator.count()) ? await locator.first().innerText() : "";
    if (seen.includes(text)) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${JSON.stringify(text)} in ${locator}, saw ${JSON.stringify(seen.slice(0, 400))}`);
}

const field = (page, name) => page.locator(`form.record-form [name="${name}"]`);

// Fill a record form: values by field name (select options by value, checkboxes by boolean).
async function fillForm(page, values) {
  for (const [name, value] of Object.entries(values)) {
    const input = field(page, name);
    const tag = await input.evaluate((el) => el.tagName + (el.type ? `:${el.type}` : ""));
    if (tag.startsWith("SELECT")) await input.selectOption(String(value));
    else if (tag.endsWith(":checkbox")) await input.setChecked(Boolean(value));
    else await input.fill(String(value));
  }
}

async function submitForm(page) { await page.locator("form.record-form button[type=submit]").click(); }

// Go to a page as a person would who, asked whether to leave unsaved edits, leaves.
async function gotoHash(page, hash) {
  await page.evaluate(async (h) => {
    location.hash = h;
    await new Promise((r) => setTimeout(r, 0)); // the hashchange that may ask first
    document.getElementById("leave-go")?.click();
  }, hash);
}

// A calendar date as the firm (en-US) reads it: "2025-04-24" -> "Apr 24, 2025".
function usDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

// An admin's first sign-in: set up the authenticator app on the account page (the session is a
// full one afterwards). Returns the page.
async function enrolledAdminPage(user) {
  const page = await signedInPage(user);
  await page.click("#totp-begin");
  await page.fill("#totp-password", user.password);
  await page.locator("#totp-password").press("Enter");
  const secret = await page.locator("#totp-secret").innerText();
  await page.fill("#totp-code", totp(secret));
  await page.locator("#totp-code").press("Enter");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.locator("[data-admin]").waitFor({ state: "visible" });
  return page;
}

// A write as the signed-in user of a page, behind the form's back (a colleague's change).
function pageCall(page, method, path, body, ifMatch) {
  return page.evaluate(async ({ method, path, body, ifMatch }) => {
    const s = await (await fetch("/api/v1/session")).json();
    const headers = { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token, ...(ifMatch ? { "If-Match": `"${ifMatch}"` } : {}) };
    const r = await fetch(path, { method, headers, body: JSON.stringify(body) });
    return { status: r.status, data: await r.json() };
  }, { method, path, body, ifMatch });
}

// --- the tests --------------------------------------------------------------------------------

test("a paralegal signs in with the keyboard alone and lands on Today", async () => {
  const page = await openPage();
  await page.locator("#email").waitFor();
  assert(await page.evaluate(() => document.activeElement.id) === "email", "the e-mail field has focus");
  assert(await page.locator("#nav").isHidden() && await page.locator("#sign-out").isHidden(), "no navigation or sign-out before sign-in");
  await page.keyboard.type(PARALEGAL.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PARALEGAL.password);
  await page.keyboard.press("Enter");
  shared.page = page;
  await waitText(page.locator("#view h1"), "Today");
  await waitText(page.locator("#who"), "Pat Paralegal (paralegal)");
  assert(await page.locator("[data-admin]").isHidden(), "no Admin link for a paralegal");
  assert(await page.title() === "Today — paroletrack", "the tab title names the page");
  // The skip link moves focus to the page without leaving it.
  await page.evaluate(() => { const b = document.body; b.tabIndex = -1; b.focus(); b.removeAttribute("tabindex"); });
  await page.keyboard.press("Tab");
  assert(await page.evaluate(() => document.activeElement.className) === "skip", "the skip link comes first");
  const hashBefore = await page.evaluate(() => location.hash);
  await page.keyboard.press("Enter");
  assert(await page.evaluate(() => location.hash) === hashBefore, "the address did not change");
  await waitText(page.locator("#view h1"), "Today");
  assert(await page.evaluate(() => document.getElementById("view").contains(document.activeElement)), "focus is in the page content");
  shared.page = page;
  return page;
});

test("create a client with every field through the form, names in Cyrillic", async () => {
  const page = shared.page;
  await gotoHash(page, "#/clients");
  await page.getByRole("link", { name: "New client" }).click();
  await field(page, "family_name").waitFor();
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("form.record-form input, form.record-form select, form.record-form textarea")].filter((el) => el.labels.length === 0).map((el) => el.name));
  assert(unlabelled.length === 0, `every control has a label (unlabelled: ${unlabelled})`);
  await fillForm(page, {
    family_name: "Шевченко", given_name: "Олена", other_names: "Olena Shevchenko\nОлена Шевчeнко", date_of_birth: "1988-03-14",
    country_of_birth: "ua", citizenship: "UA", a_number: "A-123-456-789", passport_number: "FA 123456", passport_country: "UA",
    passport_expires_on: "2031-05-01", email: "olena@example.org", phone: "+1 (555) 010-0100", address: "12 Main St\nAnytown",
    preferred_language: "uk", notes: "Fled Kharkiv in 2022.",
  });
  await submitForm(page);
  await waitText(page.locator("#view h1"), "Шевченко, Олена");
  const profile = await page.locator("dl.profile").innerText();
  assert(profile.includes("A123456789"), "A-number stored normalised and shown in full on the client page");
  assert(profile.includes("Mar 14, 1988"), "date of birth shown in the firm's locale");
  shared.clientId = Number(page.url().split("/").pop());
  assert(await page.title() === `Client ${shared.clientId} — paroletrack`, `the tab title names no client (${await page.title()})`);
});

test("create a parole request from the client page", async () => {
  const page = shared.page;
  await page.click("#new-request");
  await fillForm(page, { parole_type: "humanitarian", location: "outside_us", sponsor_name: "Ірина Коваль", summary: "Medical treatment unavailable at home." });
  const pat = await field(page, "assigned_paralegal_id").locator("option", { hasText: "Pat Paralegal" }).getAttribute("value");
  await fillForm(page, { assigned_paralegal_id: pat });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "Draft");
  shared.requestId = Number(page.url().split("/").pop());
  assert(shared.requestId > 0, "landed on the new request");
  await waitText(page.locator(".request-head"), "Paralegal: Pat Paralegal");
});

test("add a filing with a receipt number: stage and timeline follow", async () => {
  const page = shared.page;
  await page.click("#add-filings");
  await fillForm(page, { form: "I-131", filed_on: firmDay(-20), kind: "initial", receipt_number: "ioe-0912345678", receipt_notice_on: firmDay(-18), fee_cents: "630", method: "online" });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "Receipted");
  await waitText(page.locator("#timeline-list"), RECEIPT);
  await waitText(page.locator("#section-filings"), "$630.00");
  const stored = await api("GET", `/api/v1/parole-requests/${shared.requestId}/filings`);
  assert(stored.data.items[0].fee_cents === 63000, "the fee typed in dollars is stored in cents");
});

test("add an RFE: the response deadline shows with its rule and citation", async () => {
  const page = shared.page;
  await page.click("#add-rfes");
  await fillForm(page, { issued_on: firmDay(-5), kind: "rfe", response_due_on: firmDay(10), summary: "Evidence of sponsor income." });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "RFE open");
  const deadlines = await waitText(page.locator("#deadline-table"), "rfe_response");
  assert(/8 CFR/.test(deadlines), "the citation is shown beside the deadline");
});

test("add an interview at 10:30 firm time: stored with the firm's offset, shown in its zone", async () => {
  const page = shared.page;
  shared.interviewDay = firmDay(3);
  await page.click("#add-interviews");
  await fillForm(page, { kind: "interview", scheduled_at: `${shared.interviewDay}T10:30`, location: "USCIS Field Office", outcome: "scheduled" });
  await submitForm(page);
  await waitText(page.locator("#timeline-list"), "10:30");
  const list = await api("GET", `/api/v1/parole-requests/${shared.requestId}/interviews`);
  const at = list.data.items[0].scheduled_at;
  const expected = new Date(`${shared.interviewDay}T10:30:00`); // compare as firm wall time
  const wall = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(at));
  assert(wall === "10:30", `stored ${at} is 10:30 in New York (got ${wall}; ${expected})`);
});

test("Today shows the RFE with its days left and the interview among what is due", async () => {
  const page = shared.page;
  await gotoHash(page, "#/today");
  const due = await waitText(page.locator("#due-table"), "Interview");
  assert(due.includes("Шевченко, Олена"), "the client's name is on the due list");
  const rfes = await waitText(page.locator("#rfe-table"), "RFE response due");
  assert(/\b10\b/.test(rfes), `ten days left on the RFE (${rfes})`);
  await page.screenshot({ path: join(shots, "today.png"), fullPage: true });
  // "Mine": the request is assigned to Pat, so the interview stays on her list.
  await page.getByRole("button", { name: "Mine", exact: true }).click();
  await waitText(page.locator("#due-table"), "Interview");
  assert(await page.getByRole("button", { name: "Mine", exact: true }).getAttribute("aria-pressed") === "true", "Mine is pressed");
  await page.getByRole("button", { name: "Everyone's" }).click();
  await waitText(page.locator("#due-table"), "Interview");
});

test("the calendar shows the interview and the RFE due date on their days", async () => {
  const page = shared.page;
  for (const [day, text] of [[shared.interviewDay, "Interview"], [firmDay(10), "RFE response due"]]) {
    await gotoHash(page, `#/calendar/${day.slice(0, 7)}`);
    await waitText(page.locator(`td[data-date="${day}"]`), text);
  }
  await page.click("#feed-create");
  const url = await page.locator("#feed-url").inputValue();
  assert(url.startsWith(`${server.base}/api/v1/calendar.ics?token=`), `a feed link to copy (${url})`);
  const ics = await (await fetch(url)).text();
  assert(ics.includes("BEGIN:VCALENDAR") && ics.includes("Interview"), "the feed link serves the calendar");
});

test("record an approval and an I-94 date: the expiry and parole end appear", async () => {
  const page = shared.page;
  await gotoHash(page, `#/requests/${shared.requestId}`);
  // Answer the RFE first, through its edit form.
  await page.getByRole("button", { name: /^Edit RFE or NOID/ }).click();
  // Lists leave summaries out: the edit form reads the whole RFE and shows its summary.
  const summary = page.locator('#section-rfes form.record-form [name="summary"]');
  await summary.waitFor();
  assert(await summary.inputValue() === "Evidence of sponsor income.", `the edit form shows the summary (${await summary.inputValue()})`);
  await fillForm(page, { responded_on: firmDay(0) });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "Interview scheduled");
  const rfes = await api("GET", `/api/v1/parole-requests/${shared.requestId}/rfes?include=notes`);
  assert(rfes.data.items[0].summary === "Evidence of sponsor income.", `the RFE summary is kept (${rfes.data.items[0].summary})`);
  await page.click("#add-decisions");
  await fillForm(page, { outcome: "approved", decided_on: firmDay(0), valid_from: firmDay(0), valid_until: firmDay(365) });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "Approved");
  await page.click("#add-expirations");
  shared.i94 = firmDay(200);
  await fillForm(page, { kind: "i94", expires_on: shared.i94, document_number: "12345678901" });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "Paroled");
  await waitText(page.locator("#timeline-list"), "I-94 admit-until date");
  await waitText(page.locator("#deadline-table"), "parole_end");
  // The approval settled the interview three days ahead: it shows as moot, not as due.
  await waitText(page.locator("#deadline-table"), "Moot");
  const own = await api("GET", `/api/v1/parole-requests/${shared.requestId}/deadlines`);
  const interview = own.data.items.find((d) => d.kind === "interview");
  assert(interview && interview.status === "moot" && interview.moot_decision_id, `the interview is moot (${JSON.stringify(interview)})`);
  await page.screenshot({ path: join(shots, "request.png"), fullPage: true });
});

test("editing one field never rewrites another: a half-typed fee and an untouched appointment time", async () => {
  const page = shared.page;
  const base = `/api/v1/parole-requests/${shared.requestId}`;
  const made = await api("POST", `${base}/interviews`, { kind: "biometrics", scheduled_at: `${firmDay(20)}T15:30:00Z`, outcome: "scheduled" });
  assert(made.status === 201, "an appointment made through the API, in UTC");
  await gotoHash(page, "#/today");
  await gotoHash(page, `#/requests/${shared.requestId}`);
  await page.getByRole("button", { name: `Edit appointment ${made.data.id}` }).click();
  await fillForm(page, { location: "Application Support Center" });
  await submitForm(page);
  await waitText(page.locator("#section-interviews"), "Application Support Center");
  const after = await api("GET", `${base}/interviews/${made.data.id}`);
  assert(after.data.scheduled_at === `${firmDay(20)}T15:30:00Z`, `the time is kept as stored (${after.data.scheduled_at})`);
  await page.waitForFunction(() => document.activeElement.id === "section-interviews-title", null, { timeout: 5000 })
    .catch(() => { throw new Error("focus returns to the section that changed"); });
  const filing = (await api("GET", `${base}/filings`)).data.items[0];
  await page.getByRole("button", { name: `Edit filing ${filing.id}` }).click();
  await field(page, "fee_cents").fill("");
  await field(page, "fee_cents").pressSequentially("6e");
  await submitForm(page);
  await page.locator('form.record-form [name="fee_cents"][aria-invalid="true"]').waitFor();
  const kept = await api("GET", `${base}/filings/${filing.id}`);
  assert(kept.data.fee_cents === 63000 && kept.data.version === filing.version, "nothing was sent");
  await page.getByRole("button", { name: "Cancel" }).click();
  // A form open in one section survives a save in another.
  await page.click("#add-rfes");
  assert(await page.locator("#add-rfes").isHidden(), "the Add button hides while its form is open");
  await page.locator('#section-rfes [name="summary"]').fill("Half-written RFE summary");
  await page.click("#add-expirations");
  await page.locator('#section-expirations [name="kind"]').selectOption("passport");
  await page.locator('#section-expirations [name="expires_on"]').fill(firmDay(900));
  await page.locator("#section-expirations form.record-form button[type=submit]").click();
  await waitText(page.locator("#section-expirations"), "Passport");
  assert(await page.locator('#section-rfes [name="summary"]').inputValue() === "Half-written RFE summary", "the other form kept its text");
  await page.locator("#section-rfes").getByRole("button", { name: "Cancel" }).click();
});

test("Today's stage counts lead to the filtered list of parole requests", async () => {
  const page = shared.page;
  await gotoHash(page, "#/today");
  await page.locator("ul.hbars").getByRole("link", { name: "Paroled" }).click();
  await waitText(page.locator("#case-table"), "Шевченко, Олена");
  assert(await page.locator("#stage").inputValue() === "paroled", "the stage filter is set");
  await page.selectOption("#stage", "denied");
  await page.locator("form.filters button[type=submit]").click();
  await waitText(page.locator("#view"), "No parole request matches");
  await page.selectOption("#stage", "");
  await page.check("#mine");
  await page.locator("form.filters button[type=submit]").click();
  await waitText(page.locator("#case-table"), "Pat Paralegal");
  // The filtered list downloads as CSV: the same filters, every row, ready for a spreadsheet.
  const href = await page.locator("#case-csv").getAttribute("href");
  assert(href.includes("format=csv") && href.includes("assigned_to=me"), `the export keeps the filters (${href})`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#case-csv").click()]);
  const text = readFileSync(await download.path(), "utf8");
  assert(text.startsWith("\uFEFFid,") && text.includes("\r\n"), `a CSV with a byte order mark (${text.slice(0, 40)})`);
  const rows = text.trim().split("\r\n");
  const shown = await page.locator("#case-table tbody tr").count();
  assert(rows.length === shown + 1, `a header and one row per request shown (${rows.length} rows, ${shown} shown)`);
});

test("a stale edit (412) of other fields is merged: both changes are kept", async () => {
  const page = shared.page;
  await gotoHash(page, `#/clients/${shared.clientId}`);
  await page.click("#edit-client");
  await fillForm(page, { phone: "+1 555 010 0111" });
  const changed = await api("PATCH", `/api/v1/clients/${shared.clientId}`, { notes: "Changed by a colleague." });
  assert(changed.status === 200, "the colleague's edit went in");
  await submitForm(page);
  await page.locator("#edit-client").waitFor(); // saved: back to the profile
  const stored = await api("GET", `/api/v1/clients/${shared.clientId}`);
  assert(stored.data.phone === "+1 555 010 0111" && stored.data.notes === "Changed by a colleague.", `both changes kept: ${stored.data.phone} / ${stored.data.notes}`);
});

test("a stale edit (412) of the same field shows both values; the person chooses", async () => {
  const page = shared.page;
  await gotoHash(page, `#/clients/${shared.clientId}`);
  await page.click("#edit-client");
  await fillForm(page, { phone: "+1 555 010 0222", email: "mine@example.org" });
  const changed = await api("PATCH", `/api/v1/clients/${shared.clientId}`, { phone: "+1 555 010 0333" });
  assert(changed.status === 200, "the colleague's edit went in");
  await submitForm(page);
  await waitText(page.locator(".form-banner"), "changed by both of you");
  const phoneError = page.locator(`#${await field(page, "phone").getAttribute("id")}-error`);
  await waitText(phoneError, "+1 555 010 0333");
  assert(await field(page, "phone").inputValue() === "+1 555 010 0222", "the typed phone is still in the form");
  assert(await field(page, "email").inputValue() === "mine@example.org", "the other typed field is kept");
  let stored = await api("GET", `/api/v1/clients/${shared.clientId}`);
  assert(stored.data.phone === "+1 555 010 0333", "nothing saved yet");
  await page.screenshot({ path: join(shots, "stale-merge.png"), fullPage: true });
  await phoneError.getByRole("button", { name: "Use theirs" }).click();
  await submitForm(page);
  await page.locator("#edit-client").waitFor();
  stored = await api("GET", `/api/v1/clients/${shared.clientId}`);
  assert(stored.data.phone === "+1 555 010 0333" && stored.data.email === "mine@example.org", `theirs for the phone, mine for the e-mail: ${stored.data.phone} / ${stored.data.email}`);
});

test("a failed save names the bad fields and keeps everything typed", async () => {
  const page = shared.page;
  await gotoHash(page, "#/clients/new");
  await fillForm(page, { family_name: "Keepme", given_name: "Typed", a_number: "A12", email: "not-an-email", date_of_birth: firmDay(30) });
  await submitForm(page);
  await waitText(page.locator(".form-banner"), "not saved");
  for (const name of ["a_number", "email", "date_of_birth"]) {
    assert(await field(page, name).getAttribute("aria-invalid") === "true", `${name} is marked invalid`);
    const describedBy = await field(page, name).getAttribute("aria-describedby");
    const message = await page.locator(`[id="${describedBy}"]`).innerText();
    assert(message.length > 0, `an error message beside ${name}`);
  }
  assert(await field(page, "family_name").inputValue() === "Keepme", "typed family name kept");
  assert(await field(page, "a_number").inputValue() === "A12", "typed A-number kept");
  const list = await api("GET", "/api/v1/clients?q=Keepme");
  assert(list.data.items.length === 0, "nothing was stored");
  await page.screenshot({ path: join(shots, "failed-save.png"), fullPage: true });
});

test("a client named like markup shows those characters and runs nothing", async () => {
  const created = await api("POST", "/api/v1/clients", { family_name: XSS, given_name: "<b>bold</b>" });
  assert(created.status === 201, "created");
  const page = shared.page;
  await gotoHash(page, "#/clients");
  await page.fill("#client-search", "");
  await page.locator("form.search button[type=submit]").click();
  await waitText(page.locator("#client-table"), XSS);
  assert(await page.locator("#client-table img, #client-table b").count() === 0, "no element was made from the name");
  await gotoHash(page, `#/clients/${created.data.id}`);
  await waitText(page.locator("#view h1"), `${XSS}, <b>bold</b>`);
  assert(await page.locator("main img").count() === 0, "no image element on the client page");
  await page.waitForTimeout(300);
  assert(!shared.alerted, "no script ran");
  // The citizenship filter leaves out the client without one.
  await gotoHash(page, "#/clients");
  await page.fill("#client-citizenship", "ua");
  await page.locator("form.search button[type=submit]").click();
  await waitText(page.locator("#client-table"), "Шевченко");
  assert(!(await page.locator("#client-table").innerText()).includes(XSS), "filtered out");
  await page.fill("#client-citizenship", "");
  await page.locator("form.search button[type=submit]").click();
  await waitText(page.locator("#client-table"), XSS);
});

test("a viewer is offered no edit controls, and the server refuses the write anyway", async () => {
  const page = await signedInPage(VIEWER);
  await waitText(page.locator("#chart-title"), "Parole and EAD");
  assert(await page.getByRole("button", { name: "Mine", exact: true }).count() === 0, "no Mine scope for a viewer (never assigned)");
  await gotoHash(page, "#/clients");
  await waitText(page.locator("#client-table"), "Шевченко");
  assert(await page.getByRole("link", { name: "New client" }).count() === 0, "no New client button for a viewer");
  await gotoHash(page, `#/clients/${shared.clientId}`);
  await waitText(page.locator("#view h1"), "Шевченко, Олена");
  await waitText(page.locator("#requests-title"), "Parole requests");
  assert(await page.locator("#edit-client, #new-request").count() === 0, "no edit or create buttons on the client page");
  await gotoHash(page, `#/requests/${shared.requestId}`);
  await waitText(page.locator("#timeline-list"), RECEIPT);
  assert(await page.locator("#edit-request, button.add, .row-actions button").count() === 0, "no edit, add or delete buttons on the request page");
  const status = await page.evaluate(async (id) => {
    const s = await (await fetch("/api/v1/session")).json();
    const r = await fetch(`/api/v1/clients/${id}`, { method: "PATCH", headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token }, body: JSON.stringify({ notes: "viewer" }) });
    return r.status;
  }, shared.clientId);
  assert(status === 403, `the server refused the viewer's write (${status})`);
  await page.screenshot({ path: join(shots, "viewer.png"), fullPage: true });
});

test("an expired session asks for sign-in and returns to the page with the typed data", async () => {
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, `#/clients/${shared.clientId}`);
  await page.click("#edit-client");
  await fillForm(page, { phone: "+1 555 010 0199" });
  await page.context().clearCookies();
  await submitForm(page);
  await waitText(page.locator("#sign-in-reason"), "session has ended");
  await page.fill("#password", PARALEGAL.password);
  await page.click("#sign-in-form button[type=submit]");
  await page.locator("#view").waitFor({ state: "visible" });
  assert(await field(page, "phone").inputValue() === "+1 555 010 0199", "the typed phone survived the new sign-in");
  await submitForm(page);
  await waitText(page.locator("dl.profile"), "+1 555 010 0199");
  // A reload while signed out comes back to the same page after sign-in.
  // Another tab signs in again (a new session and CSRF token): this tab's next save still works.
  const other = await page.context().newPage();
  await other.goto(server.base + "/");
  const status = await other.evaluate(async (user) => (await fetch("/api/v1/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(user) })).status, { email: PARALEGAL.email, password: PARALEGAL.password });
  assert(status === 201, "signed in again in the other tab");
  await other.close();
  await page.click("#edit-client");
  await fillForm(page, { phone: "+1 555 010 0177" });
  await submitForm(page);
  await waitText(page.locator("dl.profile"), "+1 555 010 0177");
  await page.context().clearCookies();
  await page.goto(`${server.base}/#/requests/${shared.requestId}`);
  await signIn(page, PARALEGAL);
  await waitText(page.locator("#view h1"), `parole request ${shared.requestId}`);
});

test("an admin sets up the authenticator, then creates an API key that is shown once", async () => {
  const page = await signedInPage(ADMIN);
  await page.click("#totp-begin");
  // The password is asked again (a stolen session alone cannot set up an authenticator app).
  await page.fill("#totp-password", "not the password at all");
  await page.locator("#totp-password").press("Enter");
  await page.locator('#totp-password[aria-invalid="true"]').waitFor();
  await waitText(page.locator("#totp-password-error"), "password");
  await page.fill("#totp-password", ADMIN.password);
  await page.locator("#totp-password").press("Enter");
  const secret = await page.locator("#totp-secret").innerText();
  // The QR code is drawn: a square of dark modules on light, with the margin the spec asks for.
  const qr = await page.locator("#totp-qr").evaluate((el) => ({ box: el.viewBox.baseVal.width, dark: (el.querySelector("path").getAttribute("d").match(/M/g) || []).length }));
  assert(qr.box >= 29 && qr.dark > 100, `a QR code is drawn (${JSON.stringify(qr)})`);
  await page.locator("#totp-qr").screenshot({ path: join(shots, "totp-qr.png") });
  // What a phone reads from the code drawn on screen is the set-up link (zbar, Debian's).
  const scanned = execFileSync("zbarimg", ["-q", "--raw", join(shots, "totp-qr.png")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  assert(scanned === await page.locator('a[href^="otpauth:"]').getAttribute("href"), "the QR code on screen reads as the otpauth link");
  await page.fill("#totp-code", totp(secret));
  await page.locator("#totp-code").press("Enter");
  await page.locator("#recovery-codes li").nth(9).waitFor();
  const codes = await page.locator("#recovery-codes li").allInnerTexts();
  // The codes download as a file holding every one of them.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#recovery-download").click()]);
  const file = readFileSync(await download.path(), "utf8");
  assert(codes.length === 10 && codes.every((c) => file.includes(c)), "the downloaded file holds every recovery code");
  assert(download.suggestedFilename() === "paroletrack-recovery-codes.txt", download.suggestedFilename());
  // And copy to the clipboard.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  await page.locator("#recovery-copy").click();
  await waitText(page.locator("#recovery-copy"), "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert(codes.every((c) => copied.includes(c)), "the clipboard holds every recovery code");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.locator("#nav").waitFor({ state: "visible" });
  assert(await page.locator("[data-admin]").isVisible(), "the Admin link shows for an admin");
  await gotoHash(page, "#/admin/keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  await fillForm(page, { name: "Case management sync", scopes: "read" });
  await submitForm(page);
  const key = await page.locator("#new-key").inputValue();
  assert(/^pt_/.test(key), `the key is shown (${key.slice(0, 6)}…)`);
  const table = await waitText(page.locator("#key-table"), "Case management sync");
  assert(!table.includes(key), "the list never shows the secret");
  const used = await fetch(`${server.base}/api/v1/clients`, { headers: { Authorization: `Bearer ${key}` } });
  assert(used.status === 200, "the new key works");
  // A monitoring key: it reads /metrics and nothing else.
  await page.getByRole("button", { name: "Create API key" }).click();
  await fillForm(page, { name: "Prometheus", scopes: "metrics" });
  await submitForm(page);
  const monitor = await page.locator("#new-key").inputValue();
  await waitText(page.locator("#key-table"), "Prometheus");
  assert((await page.locator("#key-table tr", { hasText: "Prometheus" }).innerText()).includes("metrics"), "the key's scope is listed");
  const scraped = await fetch(`${server.base}/metrics`, { headers: { Authorization: `Bearer ${monitor}` } });
  assert(scraped.status === 200 && (await scraped.text()).includes("paroletrack_http_requests_total"), "the monitoring key reads /metrics");
  const refused = await fetch(`${server.base}/api/v1/clients`, { headers: { Authorization: `Bearer ${monitor}` } });
  assert(refused.status === 403, `and nothing else (${refused.status})`);
  await gotoHash(page, "#/admin/users");
  await waitText(page.locator("#user-table"), "vic@firm.test");
  await gotoHash(page, "#/admin/rules");
  await waitText(page.locator("#rule-table"), "rfe_response");
  await gotoHash(page, "#/admin/audit");
  await waitText(page.locator("#audit-table"), "Created an API key");
  const firstRow = await page.locator("#audit-table tbody tr").first().innerText();
  assert(firstRow.includes("Created an API key"), `newest event first, in words (${firstRow})`);
  const trail = await page.locator("#audit-table").innerText();
  assert(trail.includes("Set up the authenticator app") && !/Totp enable|Api key create/.test(trail), "actions in plain words");
  assert(/Name: — → Prometheus/.test(trail), `a change shows its before and after (${trail.slice(0, 300)})`);
  await page.fill("#audit-from", firmDay(0));
  await page.fill("#audit-to", firmDay(0));
  await page.selectOption("#audit-entity", "api_keys");
  await page.getByRole("button", { name: "Show" }).click();
  await waitText(page.locator("#audit-table"), "Created an API key");
  assert(!(await page.locator("#audit-table").innerText()).includes("Added a user"), "only API key events");
  await page.screenshot({ path: join(shots, "admin-audit.png"), fullPage: true });
  // The last admin cannot demote themselves: the server says so beside the role.
  await gotoHash(page, "#/admin/users");
  await page.getByRole("button", { name: "Edit Ada Admin" }).click();
  await fillForm(page, { role: "viewer" });
  await submitForm(page);
  await page.locator('form.record-form [name="role"][aria-invalid="true"]').waitFor();
  await waitText(page.locator("form.record-form"), "last active admin");
  assert((await api("GET", "/api/v1/session")).status === 200, "nothing happened to other sessions");
  // Settings: a value out of range is refused beside its field; a good one is saved.
  await gotoHash(page, "#/admin/settings");
  await fillForm(page, { session_idle_minutes: "2" });
  await submitForm(page);
  await page.locator('form.record-form [name="session_idle_minutes"][aria-invalid="true"]').waitFor();
  await fillForm(page, { session_idle_minutes: "45" });
  await submitForm(page);
  await waitText(page.locator("#view"), "Settings saved.");
  assert(await field(page, "session_idle_minutes").inputValue() === "45", "the saved value is shown");
  // Where a colleague is signed in: the admin ends one session (a lost laptop), then all.
  const raeLaptop = await apiSession(server, RAE.email, RAE.password);
  const raePhone = await apiSession(server, RAE.email, RAE.password);
  await gotoHash(page, "#/admin/users");
  await page.getByRole("button", { name: "Sessions of Rae Paralegal" }).click();
  await page.locator("#session-table tbody tr").nth(1).waitFor();
  assert(await page.locator("#session-table tbody tr").count() === 2, "both of Rae's sessions are listed");
  await page.locator("#session-table tbody tr").first().getByRole("button", { name: /^End the session/ }).click();
  await page.waitForFunction(() => document.querySelectorAll("#session-table tbody tr").length === 1);
  const alive = [(await raeLaptop("GET", "/api/v1/session")).status, (await raePhone("GET", "/api/v1/session")).status].sort();
  assert(JSON.stringify(alive) === "[200,401]", `exactly one of Rae's sessions ended (${alive})`);
  await page.getByRole("button", { name: "End all sessions" }).click();
  await waitText(page.locator("#user-sessions"), "No one is signed in as this user.");
  assert((await raeLaptop("GET", "/api/v1/session")).status === 401 && (await raePhone("GET", "/api/v1/session")).status === 401, "every session of Rae ended");
  await page.screenshot({ path: join(shots, "admin-user-sessions.png"), fullPage: true });
  await page.getByRole("button", { name: "Close" }).click();
  // An admin may delete a client who has no parole request (after confirming).
  const doomed = await api("POST", "/api/v1/clients", { family_name: "Deleteme", given_name: "Admin" });
  await gotoHash(page, `#/clients/${doomed.data.id}`);
  await page.getByRole("button", { name: "Delete client" }).click();
  await page.waitForFunction(() => location.hash === "#/clients");
  assert((await api("GET", `/api/v1/clients/${doomed.data.id}`)).status === 404, "the client is gone");
  // Signing in again asks for the authenticator code after the password.
  await page.click("#sign-out");
  await page.fill("#email", ADMIN.email);
  await page.fill("#password", ADMIN.password);
  await page.click("#sign-in-form button[type=submit]");
  await page.locator("#totp").waitFor();
  await page.fill("#totp", totp(secret, 1)); // the next step: the enrolment's code is used up
  await page.click("#sign-in-form button[type=submit]");
  await page.locator("#sign-in").waitFor({ state: "hidden" });
  await waitText(page.locator("#who"), "Ada Admin (admin)");
});

test("a password change refuses a weak password beside the field, then asks for a new sign-in", async () => {
  const page = await signedInPage(RAE);
  await gotoHash(page, "#/account");
  await fillForm(page, { old_password: RAE.password, new_password: "password1234" });
  await submitForm(page);
  await page.locator('form.record-form [name="new_password"][aria-invalid="true"]').waitFor();
  const describedBy = await field(page, "new_password").getAttribute("aria-describedby");
  assert((await page.locator(`[id="${describedBy}"]`).innerText()).length > 0, "the policy's reason is beside the field");
  const stronger = "Zr8^mQp2!kLd5Hv-quarry";
  await fillForm(page, { old_password: RAE.password, new_password: stronger });
  await submitForm(page);
  await waitText(page.locator("#sign-in-reason"), "password has been changed");
  await page.fill("#password", stronger);
  await page.click("#sign-in-form button[type=submit]");
  await waitText(page.locator("#view h1"), "My account");
});

test("dates follow the firm's locale and zone, not the browser's", async () => {
  const other = await startServer(["--locale", "en-GB", "--timezone", "Asia/Kabul"]);
  try {
    addUser(other, RAE);
    const page = await openPage(undefined, other.base, { locale: "en-US", timezoneId: "America/Los_Angeles" });
    await signIn(page, RAE);
    const kabulToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kabul" }).format(new Date());
    const [y, m, d] = kabulToday.split("-").map(Number);
    const expected = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
    await waitText(page.locator(".page-head .muted"), expected);
    await page.screenshot({ path: join(shots, "locale-en-GB.png") });
  } finally {
    await other.stop();
  }
});

test("every page fits a tablet and a phone: no sideways scrolling of the page", async () => {
  for (const viewport of [{ width: 820, height: 1180 }, { width: 390, height: 844 }]) {
    const page = await signedInPage(PARALEGAL, viewport);
    await waitText(page.locator("#chart-title"), "Parole and EAD");
    for (const [hash, ready] of [["#/today", "#chart-title"], ["#/clients", "#client-table"], ["#/requests", "#case-table"],
      [`#/requests/${shared.requestId}`, "#timeline-list"], [`#/clients/${shared.clientId}`, "dl.profile"], ["#/calendar", "#month-grid"], ["#/account", "form.record-form"]]) {
      await gotoHash(page, hash);
      await page.locator(ready).first().waitFor();
      await page.waitForTimeout(150);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 1, `${hash} is ${overflow}px wider than a ${viewport.width}px screen`);
    }
    await gotoHash(page, "#/today");
    await page.locator("#chart-title").waitFor();
    await page.screenshot({ path: join(shots, `today-${viewport.width}px.png`), fullPage: true });
    if (viewport.width !== 390) await page.context().close();
  }
});

test("Today reads the first page of each list; Show more reads the rest, in order, without duplicates", async () => {
  // A firm of its own: 64 open RFEs and NOIDs (the kinds interleaved) due on 64 days in a row,
  // from 12 days ago, on 8 requests assigned to Rae. Today's first pages hold 8 overdue items
  // and 25 of each RFE/NOID list, so both sections have more than a page.
  const other = await startServer();
  try {
    addUser(other, RAE);
    const call = await apiSession(other, RAE.email, RAE.password);
    const me = (await call("GET", "/api/v1/session")).data.user.id;
    const requests = [];
    for (let c = 0; c < 8; c++) {
      const client = await call("POST", "/api/v1/clients", { family_name: `Pager${c}`, given_name: "Test" });
      const request = await call("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "humanitarian", location: "outside_us", assigned_paralegal_id: me });
      assert(request.status === 201, `request created (${request.status})`);
      requests.push(request.data.id);
    }
    for (let i = 0; i < 64; i++) {
      const made = await call("POST", `/api/v1/parole-requests/${requests[i % 8]}/rfes`, { issued_on: firmDay(-90), kind: i % 3 ? "rfe" : "noid", response_due_on: firmDay(i - 12) });
      assert(made.status === 201, `RFE ${i} created (${made.status} ${JSON.stringify(made.data)})`);
    }
    const page = await openPage(undefined, other.base);
    await signIn(page, RAE);
    const loaded = new Set();
    page.on("request", (r) => { if (r.url().includes("/api/v1/deadlines")) loaded.add(r.url()); });
    // The days left of every row of the RFE table, read from its "Days left" column.
    const daysLeft = () => page.locator("#rfe-table tbody tr td:nth-child(2)").allInnerTexts()
      .then((texts) => texts.map((t) => (t.endsWith("overdue") ? -parseInt(t, 10) : Number(t))));
    for (const scope of ["Everyone's", "Mine"]) {
      await page.getByRole("button", { name: scope, exact: true }).click();
      await waitText(page.locator("#rfe-title"), "shown, more exist");
      const first = await daysLeft();
      assert(first.length >= 25 && first.length < 64, `${scope}: a first page of RFEs and NOIDs (${first.length} rows)`);
      assert(first.every((d, i) => d === i - 12), `${scope}: the first rows are the earliest due, both kinds in order (${first})`);
      assert(!(await page.locator("#rfe-table").innerText()).includes("Client "), "every row has its client's name");
      // Show more, from the keyboard, until the button goes.
      for (let clicks = 0; await page.locator("#rfe-more").isVisible(); clicks++) {
        assert(clicks < 5, "Show more ends");
        const before = (await daysLeft()).length;
        await page.locator("#rfe-more").focus();
        await page.keyboard.press("Enter");
        await page.waitForFunction((n) => document.querySelectorAll("#rfe-table tbody tr").length > n, before);
        const focused = await page.evaluate(() => ({ inTable: Boolean(document.activeElement.closest("#rfe-table")), row: [...document.querySelectorAll("#rfe-table tbody tr")].indexOf(document.activeElement.closest("tr")) }));
        assert(focused.inTable && focused.row === before, `focus moves to the first new row (${JSON.stringify(focused)}, ${before})`);
      }
      const all = await daysLeft();
      assert(all.length === 64 && all.every((d, i) => d === i - 12), `${scope}: all 64, each once, in order (${all})`);
      await waitText(page.locator("#rfe-title"), "Open RFEs and NOIDs (64)");
      assert(!(await page.locator("#rfe-table").innerText()).includes("Client "), "rows read by Show more have their client's name too");
      // Overdue: a screenful of 8 of the 12, then the rest.
      await waitText(page.locator("#due-title ~ .section-body h3").first(), "Overdue (8 shown, more exist)");
      assert(await page.locator("#overdue-table tbody tr").count() === 8, "8 overdue rows on load");
      await page.locator("#overdue-more").click();
      await waitText(page.locator("#due-title ~ .section-body h3").first(), "Overdue (12)");
      const overdue = await page.locator("#overdue-table tbody tr td:first-child").allInnerTexts();
      assert(overdue.length === 12 && new Set(overdue).size === 12, `12 overdue rows, each once (${overdue})`);
      assert(await page.locator("#overdue-more").isHidden(), "no Show more once the list is whole");
    }
    assert([...loaded].every((u) => /[?&]limit=\d+/.test(u)), "every deadline call asks for one page");
    await page.screenshot({ path: join(shots, "today-pages.png"), fullPage: true });
  } finally {
    await other.stop();
  }
});

test("an admin adds a program and sets its termination on the Programs page", async () => {
  addUser(server, OLA);
  const page = await enrolledAdminPage(OLA);
  await gotoHash(page, "#/admin/programs");
  assert(await page.getByRole("link", { name: "Programs", exact: true }).getAttribute("aria-current") === "page", "the Programs tab is the current one");
  // The seeded programs in plain words: a termination date, its notice and its exception.
  const seeded = await waitText(page.locator("#program-table"), "chnv");
  const row = (code) => page.locator("#program-table tbody tr", { has: page.locator("td:first-child", { hasText: new RegExp(`^${code}$`) }) });
  assert((await row("chnv").innerText()).includes("Apr 24, 2025") && (await row("chnv").innerText()).includes("90 FR 13611"), `CHNV's termination and notice (${seeded})`);
  assert((await row("frp").innerText()).includes("Exception: I-485 filed on or before Dec 15, 2025"), "FRP's exception in words");
  assert((await row("u4u").innerText()).includes("Not terminated"), "a running program says so");
  // A new program; an exception on a program not terminated is refused beside the field, and a
  // row without its date is marked on that row.
  await page.click("#add-program");
  await fillForm(page, { code: "CAM", name: "Central American Minors parole", aliases: "Central American Minors",
    citation_source: "USCIS, Central American Minors (CAM) Refugee and Parole Program", citation_date: "2026-11-01" });
  await page.getByRole("button", { name: "Add exception" }).click();
  const exceptionForm = page.locator('form.record-form [name="exception_form"]').first();
  assert(await exceptionForm.evaluate((el) => el.tagName) === "SELECT", "the exception's form is chosen from the filing forms");
  const forms = await exceptionForm.locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert(["I-485", "I-589", "AR-11", "G-28"].every((f) => forms.includes(f)), `the catalogue's filing forms are offered (${forms})`);
  await exceptionForm.selectOption("I-485");
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("form.record-form input, form.record-form select, form.record-form textarea")].filter((el) => el.labels.length === 0).map((el) => el.name));
  assert(unlabelled.length === 0, `every control has a label (unlabelled: ${unlabelled})`);
  await submitForm(page);
  await waitText(page.locator(".form-banner"), "not saved");
  await waitText(page.locator('[id$="-exceptions-error"]'), "only a terminated program");
  await waitText(page.locator(".exception-row .field-error"), "Filed on or before");
  assert(await page.locator('.exception-row [name="exception_on_or_before"]').getAttribute("aria-invalid") === "true", "the row's date is marked");
  assert(await field(page, "name").inputValue() === "Central American Minors parole", "what was typed is kept");
  assert(!(await api("GET", "/api/v1/programs")).data.items.some((p) => p.code === "cam"), "nothing was stored");
  await page.screenshot({ path: join(shots, "admin-program-refused.png"), fullPage: true });
  await page.getByRole("button", { name: "Remove exception 1" }).click();
  assert(await page.locator(".exception-row").count() === 0, "the row is gone");
  await submitForm(page);
  await waitText(page.locator("#view"), "Program cam created.");
  await waitText(page.locator("#program-table"), "Central American Minors parole");
  let cam = (await api("GET", "/api/v1/programs")).data.items.find((p) => p.code === "cam");
  assert(cam && cam.terminated_on === null && JSON.stringify(cam.aliases) === '["central_american_minors"]' && cam.exceptions.length === 0, `stored as typed, normalised (${JSON.stringify(cam)})`);
  // Its termination, with an exception row, through the edit form; the code cannot change.
  await page.getByRole("button", { name: "Edit program cam" }).click();
  await field(page, "terminated_on").waitFor();
  assert(await field(page, "code").count() === 0, "no code field on the edit form");
  await fillForm(page, { terminated_on: "2026-10-01", citation_source: "Termination of the CAM parole process, 91 FR 12345", citation_date: "2026-09-01" });
  await page.getByRole("button", { name: "Add exception" }).click();
  await page.locator('.exception-row [name="exception_form"]').selectOption("I-485");
  await page.locator('.exception-row [name="exception_on_or_before"]').fill("2026-09-15");
  await page.locator('.exception-row [name="exception_description"]').fill("An I-485 filed by 15 September 2026.");
  await submitForm(page);
  await waitText(page.locator("#view"), "Program cam saved");
  await waitText(row("cam"), "Oct 1, 2026");
  assert((await row("cam").innerText()).includes("Exception: I-485 filed on or before Sep 15, 2026"), "the exception in words");
  cam = (await api("GET", `/api/v1/programs/${cam.id}`)).data;
  assert(cam.terminated_on === "2026-10-01" && cam.version === 2, `the termination is stored (${JSON.stringify(cam)})`);
  assert(JSON.stringify(cam.exceptions) === JSON.stringify([{ kind: "filing_on_or_before", form: "I-485", on_or_before: "2026-09-15", description: "An I-485 filed by 15 September 2026." }]), `the exception is stored (${JSON.stringify(cam.exceptions)})`);
  // A colleague moves it meanwhile: the stale save changes nothing, keeps the typing, offers a reload.
  await page.getByRole("button", { name: "Edit program cam" }).click();
  await fillForm(page, { terminated_on: "2026-10-15" });
  const moved = await pageCall(page, "PATCH", `/api/v1/programs/${cam.id}`, { terminated_on: "2026-10-08" }, cam.version);
  assert(moved.status === 200, `the colleague's change went in (${moved.status})`);
  await submitForm(page);
  await waitText(page.locator(".form-banner"), "Someone else changed this record");
  assert(await field(page, "terminated_on").inputValue() === "2026-10-15", "the typed date is still in the form");
  await page.getByRole("button", { name: "Reload the current version" }).click();
  await page.waitForFunction(() => document.querySelector('form.record-form [name="terminated_on"]')?.value === "2026-10-08");
  assert(await page.locator(".exception-row").count() === 1, "the reloaded form has the exception row");
  await fillForm(page, { terminated_on: "2026-10-15" });
  await submitForm(page);
  await waitText(row("cam"), "Oct 15, 2026");
  assert((await api("GET", `/api/v1/programs/${cam.id}`)).data.terminated_on === "2026-10-15", "saved over the current version");
  await page.screenshot({ path: join(shots, "admin-programs.png"), fullPage: true });
});

test("the request form offers the programs by name and saves u4u", async () => {
  const page = shared.page;
  await gotoHash(page, `#/clients/${shared.clientId}`);
  await page.click("#new-request");
  const program = field(page, "program");
  assert(await program.evaluate((el) => el.tagName) === "SELECT", "the program is a choice, not free text");
  const options = await program.locator("option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const values = options.map(([v]) => v);
  assert(values[0] === "" && ["u4u", "oaw", "frp", "chnv", "cam"].every((c) => values.includes(c)), `an empty choice and every program (${values})`);
  assert(options.find(([v]) => v === "u4u")[1] === "Uniting for Ukraine (U4U)", "named with its code");
  assert(options.find(([v]) => v === "chnv")[1].includes("terminated Apr 24, 2025"), "a terminated program says so");
  await fillForm(page, { parole_type: "program", program: "u4u", location: "outside_us" });
  await submitForm(page);
  await waitText(page.locator("#request-program"), "Program: Uniting for Ukraine (U4U)");
  const id = Number(page.url().split("/").pop());
  assert((await api("GET", `/api/v1/parole-requests/${id}`)).data.program === "u4u", "stored as the code");
  assert(await page.locator("#request-termination").count() === 0, "no termination for a running program");
  await page.click("#edit-request");
  assert(await field(page, "program").inputValue() === "u4u", "the edit form shows the saved program");
  await page.getByRole("button", { name: "Cancel" }).click();
});

test("a CHNV parole with an I-94 two years ahead ends on the program's termination, with its notice", async () => {
  const client = await api("POST", "/api/v1/clients", { family_name: "Pérez", given_name: "Yanelis", citizenship: "CU" });
  const pat = (await api("GET", "/api/v1/session")).data.user.id; // Today may show Pat's cases only
  const request = await api("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "program", program: "CHNV", location: "outside_us", assigned_paralegal_id: pat });
  assert(request.status === 201 && request.data.program === "chnv", `a CHNV request (${request.status})`);
  const base = `/api/v1/parole-requests/${request.data.id}`;
  assert((await api("POST", `${base}/filings`, { form: "I-134A", filed_on: "2024-01-10" })).status === 201, "filed");
  assert((await api("POST", `${base}/decisions`, { outcome: "approved", decided_on: "2024-03-01" })).status === 201, "approved");
  const page = shared.page;
  await gotoHash(page, `#/requests/${request.data.id}`);
  await waitText(page.locator("#request-program"), "CHNV");
  // The I-94 through the form: its own date is two years ahead, the program ended before it.
  const i94 = firmDay(730);
  await page.click("#add-expirations");
  await fillForm(page, { kind: "i94", issued_on: "2024-04-01", expires_on: i94, document_number: "98765432101" });
  await submitForm(page);
  await waitText(page.locator("#section-expirations"), usDate(i94));
  await waitText(page.locator("#request-stage"), "Terminated");
  const deadlines = await waitText(page.locator("#deadline-table"), "Program terminated");
  const end = page.locator("#deadline-table tbody tr", { hasText: "Parole ends" });
  const endText = await end.innerText();
  assert(endText.includes("Apr 24, 2025") && endText.includes("90 FR 13611") && endText.includes("Mar 25, 2025"), `the parole ends on the termination date, citing the notice (${endText})`);
  assert(!deadlines.includes(usDate(i94)), `nothing is due on the I-94's own date (${deadlines})`);
  await waitText(page.locator("#request-termination"), "terminated on Apr 24, 2025");
  const stored = (await api("GET", `${base}/deadlines`)).data.items.find((d) => d.kind === "parole_end");
  assert(stored.due_on === "2025-04-24" && stored.program_code === "chnv", `the API agrees (${JSON.stringify(stored)})`);
  assert((await api("GET", base)).data.stage === "terminated", "stage terminated");
  await page.screenshot({ path: join(shots, "request-chnv-terminated.png"), fullPage: true });
  // Today lists the overdue parole end with the program's termination as its reason.
  shared.chnvRequestId = request.data.id;
  await gotoHash(page, "#/today");
  const overdue = page.locator("#overdue-table tbody tr", { hasText: `request ${request.data.id}` });
  await waitText(overdue, "Program terminated");
  assert((await overdue.innerText()).includes("90 FR 13611"), "Today shows the notice beside the date");
});

test("the filing form takes the new forms, a decision date and an outcome: an I-485 approved", async () => {
  const page = shared.page;
  await gotoHash(page, `#/requests/${shared.chnvRequestId}`);
  await page.click("#add-filings");
  const forms = await field(page, "form").locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert(["I-589", "I-821", "I-485", "I-130", "I-912", "G-28", "AR-11"].every((f) => forms.includes(f)), `the new forms are offered (${forms})`);
  assert(await field(page, "decided_on").getAttribute("type") === "date", "a decided-on date field");
  // A decision before the filing is refused beside the field; the typed values stay.
  await fillForm(page, { form: "I-485", filed_on: firmDay(-60), decided_on: firmDay(-90) });
  await submitForm(page);
  await page.locator('form.record-form [name="decided_on"][aria-invalid="true"]').waitFor();
  assert((await page.locator('[id$="-decided_on-error"]').innerText()).length > 0, "the reason is beside the field");
  assert(await field(page, "form").inputValue() === "I-485", "the form choice is kept");
  // An outcome with no decision date is refused beside the date.
  await fillForm(page, { decided_on: "", outcome: "approved" });
  await submitForm(page);
  await waitText(page.locator('[id$="-decided_on-error"]'), "needed with an outcome");
  assert(await field(page, "outcome").inputValue() === "approved", "the outcome choice is kept");
  await fillForm(page, { decided_on: firmDay(-3) });
  await submitForm(page);
  const filings = page.locator("#section-filings");
  await waitText(filings, "I-485");
  await waitText(filings, usDate(firmDay(-3)));
  const headers = await filings.locator("th").allInnerTexts();
  assert(headers.includes("Decided on") && headers.includes("Outcome"), `the filings table has Decided on and Outcome columns (${headers})`);
  assert((await filings.locator("tr", { hasText: "I-485" }).innerText()).toLowerCase().includes("approved"), "the outcome shows in the row");
  const stored = (await api("GET", `/api/v1/parole-requests/${shared.chnvRequestId}/filings`)).data.items.find((f) => f.form === "I-485");
  assert(stored && stored.filed_on === firmDay(-60) && stored.decided_on === firmDay(-3) && stored.outcome === "approved", `stored (${JSON.stringify(stored)})`);
});

// Today drawn afresh (setting the hash it already has would not draw it again).
async function freshToday(page) {
  await gotoHash(page, "#/clients");
  await waitText(page.locator("#view h1"), "Clients");
  await gotoHash(page, "#/today");
  await waitText(page.locator("#view h1"), "Today");
}

// Today's overdue list read to its end (a screenful first, the rest behind "Show more"): the
// section holding it.
async function wholeOverdueList(page) {
  await freshToday(page);
  await waitText(page.locator("#due-title ~ .section-body h3").first(), "Overdue");
  while (await page.locator("#overdue-more").isVisible()) {
    const before = await page.locator("#overdue-table tbody tr").count();
    await page.locator("#overdue-more").click();
    await page.waitForFunction((n) => document.querySelectorAll("#overdue-table tbody tr").length > n, before);
  }
  // The section, not the table: with nothing overdue it says so and has no table.
  return page.locator("#due-title ~ .section-body").first();
}

// A client with a parole request assigned to Pat, made through the API; returns the request's base path and id.
async function requestForPat(familyName, extra = {}) {
  const client = await api("POST", "/api/v1/clients", { family_name: familyName, given_name: "Test" });
  const pat = (await api("GET", "/api/v1/session")).data.user.id;
  const request = await api("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "humanitarian", location: "outside_us", assigned_paralegal_id: pat, ...extra });
  assert(request.status === 201, `request created (${request.status} ${JSON.stringify(request.data)})`);
  return { id: request.data.id, base: `/api/v1/parole-requests/${request.data.id}` };
}

test("a parole fee left without an amount takes the fee schedule's $1,000.00, and paying it meets its deadline", async () => {
  const page = shared.page;
  await gotoHash(page, `#/requests/${shared.requestId}`);
  await page.click("#add-fee-notices");
  const form = page.locator("#section-fee-notices form.record-form");
  await fillForm(page, { kind: "parole_fee", issued_on: firmDay(-3), due_on: firmDay(27) });
  assert(await form.locator('[name="form"]').isHidden(), "no form to choose for a parole fee");
  const hint = await waitText(form.locator(".field-hint"), "$1,000.00");
  assert(hint.includes("Leave empty to use the fee schedule") && hint.includes("H.R. 1") && hint.includes("Oct 16, 2025"), `the hint names the amount and its source (${hint})`);
  assert((await field(page, "amount_cents").getAttribute("aria-describedby")).includes("-hint"), "the hint describes the amount field");
  // The hint follows the kind and the form: a filing fee asks for its form, the I-131's is $630.
  await fillForm(page, { kind: "filing_fee" });
  assert(await form.locator('[name="form"]').isVisible(), "a filing fee names its form");
  await waitText(form.locator(".field-hint"), "Choose the form");
  await fillForm(page, { form: "I-131" });
  await waitText(form.locator(".field-hint"), "$630.00");
  await fillForm(page, { amount_cents: "12.50" });
  await page.waitForFunction(() => document.querySelector("#section-fee-notices .field-hint").textContent === "");
  await fillForm(page, { kind: "parole_fee", amount_cents: "" });
  await waitText(form.locator(".field-hint"), "$1,000.00");
  await submitForm(page);
  const fees = page.locator("#section-fee-notices table.child-table");
  await waitText(fees, "$1,000.00");
  assert((await fees.innerText()).includes("Parole fee"), "the kind in words");
  const [notice] = (await api("GET", `/api/v1/parole-requests/${shared.requestId}/fee-notices`)).data.items;
  assert(notice.amount_cents === 100000 && notice.form === null, `the schedule's amount was stored, no form (${JSON.stringify(notice)})`);
  const row = page.locator("#deadline-table tbody tr", { hasText: "Fee due" });
  await waitText(row, "Pay the parole fee");
  assert((await row.innerText()).includes(usDate(firmDay(27))) && (await row.innerText()).includes("Upcoming"), `the fee deadline is due on its date (${await row.innerText()})`);
  // Paid: the deadline is met.
  await page.getByRole("button", { name: `Edit fee notice ${notice.id}` }).click();
  await fillForm(page, { paid_on: firmDay(0) });
  await submitForm(page);
  await waitText(page.locator("#section-fee-notices table"), usDate(firmDay(0)));
  await waitText(row, "Done");
  assert(await row.locator(".badge.status-met").count() === 1, "styled as done");
  const stored = (await api("GET", `/api/v1/parole-requests/${shared.requestId}/deadlines`)).data.items.find((d) => d.kind === "fee_payment");
  assert(stored && stored.status === "met", `the API agrees (${JSON.stringify(stored)})`);
  await page.screenshot({ path: join(shots, "request-fees.png"), fullPage: true });
});

test("an RFE left unanswered when the request is denied is moot: not overdue, not on Today", async () => {
  const { id, base } = await requestForPat("Moot");
  assert((await api("POST", `${base}/filings`, { form: "I-131", filed_on: firmDay(-120) })).status === 201, "filed");
  assert((await api("POST", `${base}/rfes`, { kind: "rfe", issued_on: firmDay(-100), response_due_on: firmDay(-10) })).status === 201, "RFE");
  const page = shared.page;
  // Overdue before the decision.
  let overdue = await wholeOverdueList(page);
  await waitText(overdue.locator("#overdue-table tbody tr", { hasText: `request ${id}` }), "RFE response due");
  // The denial, through the form.
  await gotoHash(page, `#/requests/${id}`);
  await waitText(page.locator("#deadline-table"), "Overdue");
  await page.click("#add-decisions");
  await fillForm(page, { outcome: "denied", decided_on: firmDay(-2) });
  await submitForm(page);
  await waitText(page.locator("#request-stage"), "Denied");
  const row = page.locator("#deadline-table tbody tr", { hasText: "RFE response due" });
  await waitText(row, `Moot — settled by the decision of ${usDate(firmDay(-2))}`);
  assert(await row.locator(".status-overdue, .overdue").count() === 0, `nothing on the row is styled overdue (${await row.innerHTML()})`);
  assert(await row.locator(".badge.status-moot").count() === 1, "the moot badge");
  await page.screenshot({ path: join(shots, "request-moot.png"), fullPage: true });
  // Today: not overdue, and no longer an open RFE.
  overdue = await wholeOverdueList(page);
  assert(!(await overdue.innerText()).includes(`request ${id}`), "the settled RFE is not overdue on Today");
  assert(!(await page.locator("#view").innerText()).includes(`request ${id}`), "nor anywhere else on Today");
  // The calendar shows it on its day as settled, styled as done.
  const due = firmDay(-10);
  await gotoHash(page, `#/calendar/${due.slice(0, 7)}`);
  const item = page.locator(`td[data-date="${due}"] li`, { hasText: "RFE response due" });
  await waitText(item, "RFE response due (settled by a decision)");
  assert(await item.first().evaluate((li) => li.classList.contains("status-moot")), "styled as settled");
});

test("a missed biometrics appointment is overdue at once on Today and the calendar", async () => {
  const { id, base } = await requestForPat("Missed");
  assert((await api("POST", `${base}/filings`, { form: "I-131", filed_on: firmDay(-60) })).status === 201, "filed");
  const day = firmDay(-1);
  const made = await api("POST", `${base}/interviews`, { kind: "biometrics", scheduled_at: `${day}T15:00:00Z`, location: "ASC", outcome: "missed" });
  assert(made.status === 201, `a missed appointment (${made.status})`);
  const page = shared.page;
  const overdue = await wholeOverdueList(page);
  const row = overdue.locator("#overdue-table tbody tr", { hasText: `request ${id}` });
  await waitText(row, "Missed appointment — reschedule now");
  const text = await row.innerText();
  assert(text.includes("Biometrics missed") && text.includes("Overdue"), `the missed appointment is overdue (${text})`);
  assert(await row.locator(".badge.status-overdue").count() === 1, "styled overdue");
  await page.screenshot({ path: join(shots, "today-missed-appointment.png"), fullPage: true });
  await gotoHash(page, `#/calendar/${day.slice(0, 7)}`);
  await waitText(page.locator(`td[data-date="${day}"]`), "Missed appointment — reschedule now (overdue)");
});

test("an RFE with no printed due date asks for it, from Today and from the request page", async () => {
  const { id, base } = await requestForPat("Computed");
  assert((await api("POST", `${base}/filings`, { form: "I-131", filed_on: firmDay(-60) })).status === 201, "filed");
  const rfe = await api("POST", `${base}/rfes`, { kind: "rfe", issued_on: firmDay(-10) });
  assert(rfe.status === 201 && rfe.data.response_due_on === null, "an RFE with no due date");
  const page = shared.page;
  await freshToday(page);
  const todayRow = page.locator("#rfe-table tbody tr", { hasText: `request ${id}` });
  await waitText(todayRow, "Computed maximum — enter the date printed on the notice");
  // Today's link opens the RFE's form on its request page, at the due date.
  await todayRow.getByRole("link", { name: "Edit the RFE" }).click();
  await page.waitForFunction(() => document.activeElement && document.activeElement.name === "response_due_on");
  assert(await page.evaluate(() => location.hash) === `#/requests/${id}`, "the address is the request's own");
  const row = page.locator("#deadline-table tbody tr", { hasText: "RFE response due" });
  await waitText(row, "Computed maximum — enter the date printed on the notice");
  await page.locator("#section-rfes").getByRole("button", { name: "Cancel" }).click();
  // The request page's button does the same.
  await row.getByRole("button", { name: `Enter the printed due date of RFE ${rfe.data.id}` }).click();
  await page.waitForFunction(() => document.activeElement && document.activeElement.name === "response_due_on");
  await page.locator(":focus").fill(firmDay(25));
  await submitForm(page);
  await waitText(row, usDate(firmDay(25)));
  assert(!(await row.innerText()).includes("Computed maximum"), "the prompt is gone once the printed date is in");
  const stored = (await api("GET", `${base}/deadlines`)).data.items.find((d) => d.kind === "rfe_response");
  assert(stored.basis === "notice" && stored.due_on === firmDay(25), `the typed date is the deadline (${JSON.stringify(stored)})`);
});

test("a re-parole filed before its window opens warns after saving and in the table, and the deadline stays open", async () => {
  const { id, base } = await requestForPat("Early", { parole_type: "program", program: "u4u" });
  assert((await api("POST", `${base}/filings`, { form: "I-131", filed_on: firmDay(-400) })).status === 201, "filed");
  assert((await api("POST", `${base}/decisions`, { outcome: "approved", decided_on: firmDay(-300) })).status === 201, "approved");
  const end = firmDay(400);
  assert((await api("POST", `${base}/expirations`, { kind: "i94", expires_on: end })).status === 201, "I-94");
  const opens = (await api("GET", `${base}/deadlines`)).data.items.find((d) => d.kind === "reparole_filing").opens_on;
  const page = shared.page;
  await gotoHash(page, `#/requests/${id}`);
  await page.click("#add-filings");
  assert(await field(page, "ead_category").isHidden(), "no work permit category on an I-131");
  await fillForm(page, { form: "I-131", kind: "re_parole", filed_on: firmDay(0) });
  await submitForm(page);
  const warned = await waitText(page.locator("#filings-saved-warning"), "Saved, with a warning");
  assert(warned.includes(`window opens on ${usDate(opens)}`), `the warning names the window's opening in words (${warned})`);
  const filingRow = page.locator("#section-filings tbody tr", { hasText: "Re-parole" });
  await waitText(filingRow, usDate(opens));
  const row = page.locator("#deadline-table tbody tr", { hasText: "File for re-parole" });
  await waitText(row, `The re-parole filing came before the window opened (opens ${usDate(opens)})`);
  assert((await row.innerText()).includes("Upcoming"), "the re-parole deadline stays open");
  // A work permit's category, typed as on the card, only for an EAD (and an I-765).
  await page.click("#add-expirations");
  await fillForm(page, { kind: "i94" });
  assert(await field(page, "ead_category").isHidden(), "no category for an I-94");
  await fillForm(page, { kind: "ead", expires_on: firmDay(300), issued_on: firmDay(-60), ead_category: "C11" });
  await submitForm(page);
  await waitText(page.locator("#section-expirations tbody"), "(c)(11) parole");
  await page.screenshot({ path: join(shots, "request-premature.png"), fullPage: true });
});

// The same date a year later (29 February: 28 February), as the asylum one-year deadline counts.
function oneYearAfter(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const leap = (n) => (n % 4 === 0 && n % 100 !== 0) || n % 400 === 0;
  return `${y + 1}-${String(m).padStart(2, "0")}-${String(m === 2 && d === 29 && !leap(y + 1) ? 28 : d).padStart(2, "0")}`;
}

// A client with one parole request (the client's own deadlines are worked out per request).
async function clientWithRequest(familyName, clientExtra = {}) {
  const client = await api("POST", "/api/v1/clients", { family_name: familyName, given_name: "Test", ...clientExtra });
  assert(client.status === 201, `client created (${client.status} ${JSON.stringify(client.data)})`);
  const request = await api("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "humanitarian", location: "inside_us" });
  assert(request.status === 201, `request created (${request.status} ${JSON.stringify(request.data)})`);
  return { clientId: client.data.id, requestId: request.data.id };
}

test("an arrival added on the client page starts the asylum one-year deadline there; unticking tracking removes it", async () => {
  const { clientId, requestId } = await clientWithRequest("Arrival");
  const page = shared.page;
  await gotoHash(page, `#/clients/${clientId}`);
  await waitText(page.locator("#client-deadlines"), "counts from the client's last arrival");
  await waitText(page.locator("#section-entries"), "No entry recorded.");
  // Add an entry through the form.
  await page.click("#add-entries");
  const arrived = firmDay(-40);
  await fillForm(page, { arrived_on: arrived, port: "JFK", class_of_admission: "DT" });
  await submitForm(page);
  const entryRow = page.locator("#section-entries tbody tr", { hasText: "JFK" });
  await waitText(entryRow, usDate(arrived));
  assert((await entryRow.innerText()).includes("DT"), "the class of admission is in the table");
  const headers = await page.locator("#section-entries thead").innerText();
  assert(/Arrived/.test(headers) && /Departed/.test(headers) && /Port/.test(headers) && /Class of admission/.test(headers), `plain column headers (${headers})`);
  const asylum = page.locator("#client-deadline-table tbody tr", { hasText: "Asylum: file the I-589 within a year of arrival" });
  await waitText(asylum, usDate(oneYearAfter(arrived)));
  assert((await asylum.innerText()).includes("Upcoming"), "the asylum deadline is open");
  await waitText(page.locator("#client-deadlines"), "file before the parole ends");
  // An edit a colleague overtook (412) on another field is merged: both changes kept, and the
  // later arrival moves the deadline.
  const entryId = (await api("GET", `/api/v1/clients/${clientId}/entries`)).data.items[0].id;
  await page.getByRole("button", { name: `Edit entry ${entryId}` }).click();
  await field(page, "arrived_on").waitFor();
  const colleague = await pageCall(page, "PATCH", `/api/v1/clients/${clientId}/entries/${entryId}`, { port: "Newark" }, 1);
  assert(colleague.status === 200, `the colleague's edit is saved (${colleague.status})`);
  const later = firmDay(-10);
  await fillForm(page, { arrived_on: later });
  await submitForm(page);
  await waitText(page.locator("#section-entries tbody"), usDate(later));
  await waitText(page.locator("#section-entries tbody"), "Newark");
  await waitText(asylum, usDate(oneYearAfter(later)));
  // The request page shows the same deadline by its plain name, as the client's own.
  await gotoHash(page, `#/requests/${requestId}`);
  const onRequest = page.locator("#deadline-table tbody tr", { hasText: "Asylum: file the I-589 within a year of arrival" });
  await waitText(onRequest, usDate(oneYearAfter(later)));
  assert(await onRequest.getByRole("link", { name: "the client's own deadline" }).getAttribute("href") === `#/clients/${clientId}`, "the row links to the client's page");
  // Untick tracking on the client form: the deadline goes.
  await gotoHash(page, `#/clients/${clientId}`);
  await waitText(asylum, usDate(oneYearAfter(later)));
  await page.click("#edit-client");
  const box = field(page, "track_asylum_deadline");
  assert(await box.isChecked(), "tracked by default");
  assert(await page.locator(`label[for="${await box.getAttribute("id")}"]`).innerText() === "Track the asylum one-year deadline", "the checkbox has a plain label");
  await fillForm(page, { track_asylum_deadline: false });
  await submitForm(page);
  await waitText(page.locator("#client-deadlines"), "not tracked for this client");
  assert(await asylum.count() === 0, "no asylum deadline once it is not tracked");
  assert((await page.locator("dl.profile").innerText()).includes("Track the asylum one-year deadline\nNo"), "the profile says it is not tracked");
  // Deleting the entry empties the travel history.
  await page.getByRole("button", { name: `Delete entry ${entryId}` }).click();
  await waitText(page.locator("#section-entries"), "No entry recorded.");
  await page.screenshot({ path: join(shots, "client-travel-history.png"), fullPage: true });
});

test("a client with no parole request yet: a move makes the AR-11 report due, on the client page and overdue on Today", async () => {
  const client = await api("POST", "/api/v1/clients", { family_name: "Norequest", given_name: "Test", address: "1 First Street" });
  assert(client.status === 201, `client created (${client.status})`);
  const page = shared.page;
  await gotoHash(page, `#/clients/${client.data.id}`);
  await waitText(page.locator("#client-deadlines"), "No deadline of the client's own so far.");
  // A move typed twelve days back through the client form: due two days ago.
  await page.getByRole("button", { name: "Edit client" }).click();
  await fillForm(page, { address: "2 Second Street, Trenton NJ", address_since: firmDay(-12) });
  await submitForm(page);
  const report = page.locator("#client-deadline-table tbody tr", { hasText: "AR-11" });
  await waitText(report, usDate(firmDay(-2)));
  assert((await report.innerText()).includes("Overdue"), `overdue on the client page (${await report.innerText()})`);
  // Today lists it, linking to the client (there is no request to open).
  const overdue = await wholeOverdueList(page);
  const row = overdue.locator("#overdue-table tbody tr", { hasText: "Norequest" });
  await waitText(row, "no parole request yet");
  const caseLink = row.locator("a", { hasText: "no parole request yet" });
  assert(await caseLink.getAttribute("href") === `#/clients/${client.data.id}`, "the case cell links to the client");
  await page.screenshot({ path: join(shots, "today-client-without-request.png"), fullPage: true });
  // The overdue list downloads as CSV, this row among the rest.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#overdue-csv").click()]);
  const csv = readFileSync(await download.path(), "utf8");
  assert(csv.startsWith("\uFEFFid,kind,due_on") && csv.includes(`,address_change_report,${firmDay(-2)},`), `the overdue CSV holds the report (${csv.slice(0, 600)})`);
  const lines = csv.trim().split("\r\n").slice(1);
  assert(lines.length === await page.locator("#overdue-table tbody tr").count() && lines.every((l) => l.includes(",overdue,")), "every overdue row, and only those");
});

test("a new address on the client form makes the change-of-address report (AR-11) due in 10 days", async () => {
  const { clientId, requestId } = await clientWithRequest("Mover", { address: "1 Old Road\nAnytown" });
  const page = shared.page;
  await gotoHash(page, `#/clients/${clientId}`);
  await waitText(page.locator("#client-deadlines"), "The client's own deadlines");
  assert(!(await page.locator("#client-deadlines").innerText()).includes("AR-11"), "the first address is not a move");
  await page.click("#edit-client");
  const since = field(page, "address_since");
  assert(await page.locator(`label[for="${await since.getAttribute("id")}"]`).innerText() === "Living at this address since", "the date has a plain label");
  await waitText(page.locator("form.record-form .field-hint"), "Changing the address without changing this date counts the move from today");
  await fillForm(page, { address: "22 New Street\nSpringfield" });
  await submitForm(page);
  const row = page.locator("#client-deadline-table tbody tr", { hasText: "Report the change of address (AR-11)" });
  await waitText(row, usDate(firmDay(10)));
  assert((await row.innerText()).includes("Upcoming"), "the report is open");
  const profile = await page.locator("dl.profile").innerText();
  assert(profile.includes(`Living at this address since\n${usDate(firmDay(0))}`), `the move counts from today (${profile})`);
  // The request page and the calendar name it the same way.
  await gotoHash(page, `#/requests/${requestId}`);
  await waitText(page.locator("#deadline-table tbody tr", { hasText: "Report the change of address (AR-11)" }), usDate(firmDay(10)));
  await gotoHash(page, `#/calendar/${firmDay(10).slice(0, 7)}`);
  await waitText(page.locator(`#month-grid td[data-date="${firmDay(10)}"]`), "Report the change of address (AR-11)");
});

test("a re-parole request made through the form with \"Renews request\" links to the request it renews", async () => {
  const { clientId, requestId: old } = await clientWithRequest("Renewal");
  const page = shared.page;
  await gotoHash(page, `#/clients/${clientId}`);
  await page.click("#new-request");
  const select = field(page, "renews_request_id");
  await select.waitFor();
  const label = await page.locator(`label[for="${await select.getAttribute("id")}"]`).innerText();
  assert(label === "Renews request", `a plain label (${label})`);
  const options = await select.locator("option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert(options[0][0] === "" && options.length === 2 && options[1][0] === String(old) && options[1][1].startsWith(`Request ${old}`), `the empty choice, then the client's request (${JSON.stringify(options)})`);
  await fillForm(page, { parole_type: "re_parole", location: "inside_us", renews_request_id: old });
  await submitForm(page);
  const renews = page.locator("#request-renews");
  await waitText(renews, `Renews request ${old}`);
  const created = Number(page.url().split("/").pop());
  assert(created !== old, "landed on the new request");
  assert((await api("GET", `/api/v1/parole-requests/${created}`)).data.renews_request_id === old, "stored");
  assert(await renews.getByRole("link").getAttribute("href") === `#/requests/${old}`, "the header links to the renewed request");
  await renews.getByRole("link").click();
  await waitText(page.locator("#request-renewed-by"), `Renewed by request ${created}`);
  assert(await page.locator("#request-renews").count() === 0, "the renewed request renews nothing");
});

test("an admin adds an I-131 filing fee on the Fee schedule page, edits it, and the fee form proposes it", async () => {
  addUser(server, FAY);
  const page = await enrolledAdminPage(FAY);
  await gotoHash(page, "#/admin/fees");
  assert(await page.getByRole("link", { name: "Fee schedule", exact: true }).getAttribute("aria-current") === "page", "the Fee schedule tab is the current one");
  const rows = page.locator("#fee-schedule-table tbody tr");
  const row = (code) => page.locator("#fee-schedule-table tbody tr", { has: page.locator("td:first-child", { hasText: new RegExp(`^${code}$`) }) });
  // The seeded rows in words and dollars.
  await waitText(page.locator("#fee-schedule-table"), "i131_2024");
  const seeded = await row("i131_2024").innerText();
  assert(seeded.includes("Filing fee I-131") && seeded.includes("$630.00") && seeded.includes("Apr 1, 2024"), `the seeded I-131 fee (${seeded})`);
  assert((await row("parole_fee_hr1").innerText()).includes("Parole fee") && (await row("parole_fee_hr1").innerText()).includes("$1,000.00"), "the seeded parole fee");
  const before = await rows.count();
  // A new row: the form is asked for a filing fee only; a bad end date is named beside its field.
  await page.click("#add-fee");
  await fillForm(page, { kind: "parole_fee" });
  assert(await field(page, "form").isHidden(), "no form for a parole fee");
  await fillForm(page, { code: "I-131 new", kind: "filing_fee" });
  assert(await field(page, "form").isVisible(), "a filing fee names its form");
  assert(await field(page, "amount_cents").getAttribute("step") === "0.01", "the amount is typed in dollars");
  await fillForm(page, { form: "I-131", amount_cents: "700.00", effective_from: firmDay(0), effective_to: firmDay(-1),
    citation_source: "USCIS Fee Schedule, G-1055", citation_date: firmDay(0) });
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("form.record-form input, form.record-form select, form.record-form textarea")].filter((el) => el.labels.length === 0).map((el) => el.name));
  assert(unlabelled.length === 0, `every control has a label (unlabelled: ${unlabelled})`);
  await submitForm(page);
  await waitText(page.locator(".form-banner"), "not saved");
  await waitText(page.locator('form.record-form [id$="-effective_to-error"]'), "after effective_from");
  assert(await field(page, "effective_to").getAttribute("aria-invalid") === "true", "the end date is marked");
  assert(await field(page, "amount_cents").inputValue() === "700.00", "what was typed is kept");
  await fillForm(page, { effective_to: "" });
  await submitForm(page);
  await waitText(page.locator("#view"), "Fee i_131_new created.");
  await waitText(row("i_131_new"), "$700.00");
  assert(await rows.count() === before + 1, "one row more");
  const added = await row("i_131_new").innerText();
  assert(added.includes("Filing fee I-131") && added.includes(`${usDate(firmDay(0))} – now`) && added.includes("USCIS Fee Schedule, G-1055"), `the new row in words (${added})`);
  let fee = (await api("GET", "/api/v1/fee-schedule")).data.items.find((f) => f.code === "i_131_new");
  assert(fee && fee.kind === "filing_fee" && fee.form === "I-131" && fee.amount_cents === 70000 && fee.effective_from === firmDay(0) && fee.effective_to === null && fee.version === 1, `stored as typed (${JSON.stringify(fee)})`);
  // Edited to $710.00; the code cannot change. A colleague's change first: the stale save is refused, reloaded.
  await page.getByRole("button", { name: `Edit fee i_131_new from ${usDate(firmDay(0))}` }).click();
  await field(page, "amount_cents").waitFor();
  assert(await field(page, "code").count() === 0, "no code field on the edit form");
  assert(await field(page, "amount_cents").inputValue() === "700.00", "the amount in dollars");
  await fillForm(page, { amount_cents: "710.00" });
  const moved = await pageCall(page, "PATCH", `/api/v1/fee-schedule/${fee.id}`, { citation_source: "USCIS Fee Schedule, G-1055 (edition 2)" }, fee.version);
  assert(moved.status === 200, `the colleague's change went in (${moved.status})`);
  await submitForm(page);
  await waitText(page.locator(".form-banner"), "Someone else changed this record");
  assert(await field(page, "amount_cents").inputValue() === "710.00", "the typed amount is still in the form");
  await page.getByRole("button", { name: "Reload the current version" }).click();
  await page.waitForFunction(() => document.querySelector('form.record-form [name="citation_source"]')?.value === "USCIS Fee Schedule, G-1055 (edition 2)");
  await fillForm(page, { amount_cents: "710.00" });
  await submitForm(page);
  await waitText(page.locator("#view"), "Fee i_131_new saved");
  await waitText(row("i_131_new"), "$710.00");
  fee = (await api("GET", "/api/v1/fee-schedule")).data.items.find((f) => f.code === "i_131_new");
  assert(fee.amount_cents === 71000 && fee.version === 3 && fee.citation_source === "USCIS Fee Schedule, G-1055 (edition 2)", `the new amount is stored (${JSON.stringify(fee)})`);
  await page.screenshot({ path: join(shots, "admin-fee-schedule.png"), fullPage: true });
  // A fee notice for an I-131 filing fee issued today is offered the new amount.
  const desk = shared.page;
  await gotoHash(desk, "#/");
  await gotoHash(desk, `#/requests/${shared.requestId}`);
  await desk.click("#add-fee-notices");
  const form = desk.locator("#section-fee-notices form.record-form");
  await fillForm(desk, { kind: "filing_fee", form: "I-131", issued_on: firmDay(0) });
  const hint = await waitText(form.locator(".field-hint"), "$710.00");
  assert(hint.includes("Leave empty to use the fee schedule") && hint.includes("USCIS Fee Schedule") && hint.includes(usDate(firmDay(0))), `the hint names the new row (${hint})`);
  await desk.screenshot({ path: join(shots, "request-fee-hint-710.png"), fullPage: true });
  await form.getByRole("button", { name: "Cancel" }).click();
});

// A webhook receiver on a free loopback port answering 204 to every POST; keeps what it got.
async function webhookReceiver() {
  const received = [];
  const http = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => { received.push({ path: req.url, headers: req.headers, body }); res.writeHead(204).end(); });
  });
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/hooks`, received,
    // Wait until `count` messages came in (the server's worker posts within a second or two).
    async waitFor(count, timeout = 15000) {
      const deadline = Date.now() + timeout;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert(received.length >= count, `the receiver got ${received.length} message(s), expected ${count}`);
      return received[count - 1];
    },
    close: () => new Promise((resolve) => { http.closeAllConnections?.(); http.close(resolve); }),
  };
}

// A loopback port nothing listens on (bound, then let go).
async function unusedPort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Whether a message carries a Standard Webhooks signature made with the secret.
function signedWith(message, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key).update(`${message.headers["webhook-id"]}.${message.headers["webhook-timestamp"]}.${message.body}`).digest("base64");
  return String(message.headers["webhook-signature"] || "").split(" ").includes(`v1,${mac}`);
}

// A GET as the signed-in user of a page.
function pageGet(page, path) {
  return page.evaluate(async (p) => { const r = await fetch(p); return { status: r.status, data: r.status === 204 ? null : await r.json() }; }, path);
}

// Assert the page, at a phone's width, does not scroll sideways as a whole.
async function fitsPhone(page, what) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert(overflow <= 1, `${what} is ${overflow}px wider than a phone`);
}

// Click a button until the locator shows the text (a list read again until the worker has acted).
async function refreshUntil(page, button, locator, text, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await locator.count()) && (await locator.first().innerText()).includes(text)) return locator.first().innerText();
    await page.locator(button).click();
    await page.waitForTimeout(300);
  }
  return waitText(locator, text, 1);
}

test("an admin adds a webhook endpoint (secret shown once), edits it, follows its delivery log, sends again, rotates the secret and deletes it", async () => {
  const receiver = await webhookReceiver();
  try {
    addUser(server, WEN);
    const page = await enrolledAdminPage(WEN);
    await gotoHash(page, "#/admin/webhooks");
    assert(await page.getByRole("link", { name: "Webhooks", exact: true }).getAttribute("aria-current") === "page", "the Webhooks tab is the current one");
    await waitText(page.locator("#view"), "No endpoint yet");
    // A bad address is refused beside its field; what was typed stays.
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await field(page, "url").waitFor();
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll("form.record-form input, form.record-form select, form.record-form textarea")].filter((el) => el.labels.length === 0).map((el) => el.name));
    assert(unlabelled.length === 0, `every control has a label (unlabelled: ${unlabelled})`);
    const form = page.locator("form.record-form");
    assert((await form.innerText()).includes("Otherwise only record ids, the kind of change and the names of the changed fields are sent"), "the identifiers box says what is sent without it");
    const groups = await form.locator("fieldset.event-group legend").allInnerTexts();
    assert(groups[0] === "Clients" && groups.includes("Parole requests") && groups.at(-1) === "Other events", `the events are grouped by record (${groups})`);
    await fillForm(page, { url: "ftp://x" });
    await form.locator('input[value="client.created"]').check();
    await submitForm(page);
    await waitText(page.locator(".form-banner"), "not saved");
    await waitText(page.locator('form.record-form [id$="-url-error"]'), "must start with https://");
    await page.screenshot({ path: join(shots, "admin-webhook-form.png"), fullPage: true });
    assert(await field(page, "url").getAttribute("aria-invalid") === "true", "the address is marked");
    assert(await form.locator('input[value="client.created"]').isChecked(), "the ticked event is kept");
    // "All events" ticks and locks every type; unticking it gives back the choice made before.
    await form.locator('input[name="event_all"]').check();
    assert(await form.locator('input[value="deadline.overdue"]').isChecked() && await form.locator('input[value="deadline.overdue"]').isDisabled(), "All events ticks every type");
    await form.locator('input[name="event_all"]').uncheck();
    assert(!(await form.locator('input[value="deadline.overdue"]').isChecked()) && await form.locator('input[value="client.created"]').isChecked(), "the earlier choice is back");
    await fillForm(page, { url: receiver.url, description: "Case sync" });
    await submitForm(page);
    // The secret, once, with a copy button.
    const card = page.locator("#webhook-secret-card");
    await card.waitFor();
    assert((await card.innerText()).includes("it will not be shown again"), "the page says the secret is shown once");
    assert(await card.getByRole("button", { name: "Copy secret" }).isVisible(), "a copy button");
    const secret = await page.locator("#webhook-secret").inputValue();
    assert(/^whsec_[A-Za-z0-9+/=]{20,}$/.test(secret), `the secret is shown (${secret.slice(0, 8)}…)`);
    const list = page.locator("#webhook-table");
    await waitText(list, receiver.url);
    assert(!(await list.innerText()).includes(secret), "the list never shows the secret");
    let endpoint = (await pageGet(page, "/api/v1/webhook-endpoints")).data.items.find((e) => e.url === receiver.url);
    assert(endpoint && JSON.stringify(endpoint.events) === '["client.created"]' && endpoint.enabled && !endpoint.include_identifiers && endpoint.description === "Case sync" && !("secret" in endpoint),
      `stored as typed (${JSON.stringify(endpoint)})`);
    await page.screenshot({ path: join(shots, "admin-webhook-secret.png"), fullPage: true });
    // After a reload the secret is nowhere: not on the page, not in the browser's storage.
    await page.reload();
    await waitText(page.locator("#webhook-table"), receiver.url);
    assert(await page.locator("#webhook-secret").count() === 0, "no secret field after a reload");
    assert(!(await page.content()).includes(secret), "the secret is not on the page after a reload");
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    assert(!stored.includes(secret) && !stored.includes("whsec_"), "the browser's storage holds no secret");
    // Edit: a description, a second event type, identifiers allowed; a colleague's change first.
    await page.getByRole("button", { name: `Edit endpoint ${receiver.url}` }).click();
    await field(page, "description").waitFor();
    assert(await page.locator('form.record-form input[value="client.created"]').isChecked(), "the edit form shows the stored events");
    await fillForm(page, { description: "Case management sync", include_identifiers: true });
    await page.locator('form.record-form input[value="client.updated"]').check();
    const moved = await pageCall(page, "PATCH", `/api/v1/webhook-endpoints/${endpoint.id}`, { description: "Changed by a colleague" }, endpoint.version);
    assert(moved.status === 200, `the colleague's change went in (${moved.status})`);
    await submitForm(page);
    await waitText(page.locator(".form-banner"), "Someone else changed this record");
    await page.getByRole("button", { name: "Reload the current version" }).click();
    await page.waitForFunction(() => document.querySelector('form.record-form [name="description"]')?.value === "Changed by a colleague");
    await fillForm(page, { description: "Case management sync", include_identifiers: true });
    await page.locator('form.record-form input[value="client.updated"]').check();
    await submitForm(page);
    await waitText(page.locator("#view"), `Endpoint ${receiver.url} saved.`);
    const row = page.locator("#webhook-table tbody tr", { hasText: receiver.url });
    await waitText(row, "Case management sync");
    const rowText = await row.innerText();
    assert(rowText.includes("Client added, Client changed") && rowText.includes("With identifiers and notes") && rowText.includes("Enabled"), `the row in words (${rowText})`);
    endpoint = (await pageGet(page, `/api/v1/webhook-endpoints/${endpoint.id}`)).data;
    assert(JSON.stringify(endpoint.events) === '["client.created","client.updated"]' && endpoint.include_identifiers && endpoint.version === 3, `the edit is stored (${JSON.stringify(endpoint)})`);
    // A client created (by a paralegal, through the API) is posted to the receiver, signed.
    const client = await api("POST", "/api/v1/clients", { family_name: "Hookfield", given_name: "Ina" });
    assert(client.status === 201, `client created (${client.status})`);
    const first = await receiver.waitFor(1);
    const payload = JSON.parse(first.body);
    assert(payload.type === "client.created" && payload.data.id === client.data.id && payload.data.record?.family_name === "Hookfield", `the message names the client, with identifiers (${first.body.slice(0, 200)})`);
    assert(signedWith(first, secret), "signed with the secret the page showed");
    // The delivery log: the delivery, its attempt, a second send.
    await page.getByRole("link", { name: `Delivery log of ${receiver.url}` }).click();
    await page.waitForFunction((id) => location.hash === `#/admin/webhooks/${id}`, endpoint.id);
    await waitText(page.locator("#delivery-log"), "Delivery log");
    assert(await page.getByRole("link", { name: "Webhooks", exact: true }).getAttribute("aria-current") === "page", "still under the Webhooks tab");
    const delivery = page.locator("#delivery-table tbody tr[data-delivery]", { hasText: first.headers["webhook-id"] });
    await refreshUntil(page, "#delivery-refresh", delivery, "Delivered");
    const logged = await delivery.innerText();
    assert(logged.includes("Client added") && logged.includes("client.created") && logged.includes("HTTP 204"), `the delivery in words (${logged})`);
    const headers = await page.locator("#delivery-table thead th").allInnerTexts();
    assert(headers.includes("Event") && headers.includes("Status") && headers.includes("Last try"), `the log has column headers (${headers})`);
    const toggle = delivery.getByRole("button", { name: /^Show attempts/ });
    await toggle.click();
    const attempts = page.locator(`#delivery-${await delivery.getAttribute("data-delivery")}-attempts`);
    await waitText(attempts, "HTTP 204");
    assert(await delivery.getByRole("button", { name: /^Hide attempts/ }).getAttribute("aria-expanded") === "true", "the row says it is expanded");
    assert(await attempts.locator("tbody tr").count() === 1 && (await attempts.innerText()).includes(" ms"), "one attempt, with its duration");
    await delivery.getByRole("button", { name: /^Send again/ }).click();
    await waitText(delivery, "Queued to send again");
    assert((await delivery.innerText()).includes("Waiting to be sent"), "the row shows it waiting in the queue");
    const again = await receiver.waitFor(2);
    assert(again.headers["webhook-id"] === first.headers["webhook-id"] && again.body === first.body, "the same message is sent again");
    await refreshUntil(page, "#delivery-refresh", delivery, "Delivered");
    await delivery.getByRole("button", { name: /^Show attempts/ }).click();
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} tbody tr`).length === 2, `#delivery-${await delivery.getAttribute("data-delivery")}-attempts`);
    // The status filter.
    await page.selectOption("#delivery-status", "failed");
    await waitText(page.locator("#delivery-log-list"), "No delivery has failed.");
    await page.selectOption("#delivery-status", "delivered");
    await waitText(page.locator("#delivery-table"), first.headers["webhook-id"]);
    await page.screenshot({ path: join(shots, "admin-webhook-log.png"), fullPage: true });
    // An endpoint nobody answers at: the delivery waits, its attempt says "No answer" and why.
    const dead = `http://127.0.0.1:${await unusedPort()}/gone`;
    const deadEndpoint = await pageCall(page, "POST", "/api/v1/webhook-endpoints", { url: dead, events: ["client.updated"] });
    assert(deadEndpoint.status === 201, `second endpoint (${deadEndpoint.status})`);
    const renamed = await api("PATCH", `/api/v1/clients/${client.data.id}`, { given_name: "Ina Maria" }, { "If-Match": `"${client.data.version}"` });
    assert(renamed.status === 200, `client renamed (${renamed.status})`);
    await gotoHash(page, `#/admin/webhooks/${deadEndpoint.data.id}`);
    const waiting = page.locator("#delivery-table tbody tr[data-delivery]", { hasText: "Client changed" });
    await refreshUntil(page, "#delivery-refresh", waiting, "No answer");
    assert((await waiting.innerText()).includes("Waiting to be sent") && (await waiting.innerText()).includes("Next try"), `a failed try waits for the next (${await waiting.innerText()})`);
    await waiting.getByRole("button", { name: /^Show attempts/ }).click();
    const deadAttempts = page.locator(`#delivery-${await waiting.getAttribute("data-delivery")}-attempts tbody tr`);
    await waitText(deadAttempts, "No answer");
    await page.screenshot({ path: join(shots, "admin-webhook-no-answer.png"), fullPage: true });
    // On a phone the log scrolls sideways inside its box, not the whole page.
    await fitsPhone(page, "the delivery log");
    const why = await deadAttempts.first().locator("td").nth(2).innerText();
    assert(why.trim() && why.trim() !== "—", `the attempt names its error (${why})`);
    // The rename went to the first endpoint too, still signed with the first secret.
    const update = await receiver.waitFor(3);
    assert(JSON.parse(update.body).type === "client.updated" && signedWith(update, secret), "the rename was sent with the first secret");
    // Back to the list: pause and resume, a new secret (asked first), then delete.
    await page.getByRole("link", { name: "Back to all endpoints" }).click();
    await waitText(row, "Case management sync");
    await fitsPhone(page, "the list of endpoints");
    await page.getByRole("button", { name: `Disable endpoint ${receiver.url}` }).click();
    await waitText(row, "Disabled");
    assert(!(await pageGet(page, `/api/v1/webhook-endpoints/${endpoint.id}`)).data.enabled, "stored disabled");
    // While it is paused, 26 more changes: queued for the other endpoint only. Its log reads a
    // page of 25, newest first; "Load more" adds the rest, without duplicates.
    let version = renamed.data.version;
    for (let n = 0; n < 26; n++) {
      const r = await api("PATCH", `/api/v1/clients/${client.data.id}`, { given_name: `Ina ${n}` }, { "If-Match": `"${version}"` });
      assert(r.status === 200, `change ${n} (${r.status})`);
      version = r.data.version;
    }
    await gotoHash(page, `#/admin/webhooks/${deadEndpoint.data.id}`);
    const logRows = page.locator("#delivery-table tbody tr[data-delivery]");
    await page.waitForFunction(() => document.querySelectorAll("#delivery-table tbody tr[data-delivery]").length === 25);
    assert(await page.locator("#delivery-more").isVisible(), "a Load more button");
    await page.getByRole("button", { name: "Load more" }).click();
    await page.waitForFunction(() => document.querySelectorAll("#delivery-table tbody tr[data-delivery]").length === 27);
    const ids = (await logRows.evaluateAll((rows) => rows.map((r) => Number(r.dataset.delivery))));
    assert(new Set(ids).size === 27 && ids.every((id, i) => i === 0 || id < ids[i - 1]), `newest first, no duplicates (${ids})`);
    assert(await page.locator("#delivery-more").isHidden(), "no Load more at the end");
    await page.selectOption("#delivery-status", "pending");
    await page.waitForFunction(() => document.querySelectorAll("#delivery-table tbody tr[data-delivery]").length === 25);
    await page.getByRole("link", { name: "Back to all endpoints" }).click();
    await page.getByRole("button", { name: `Enable endpoint ${receiver.url}` }).click();
    await waitText(row, "Enabled");
    await page.waitForTimeout(1500); // a round of the worker
    assert(receiver.received.length === 3, `nothing made while paused is sent later (${receiver.received.length})`);
    await page.getByRole("button", { name: `New secret for ${receiver.url}` }).click();
    await page.locator("#webhook-secret").waitFor();
    assert(/old secret stops working at once/.test(shared.lastDialog || ""), `asked first (${shared.lastDialog})`);
    const rotated = await page.locator("#webhook-secret").inputValue();
    assert(/^whsec_/.test(rotated) && rotated !== secret, "a new secret is shown");
    assert((await page.locator("#webhook-secret-card").innerText()).includes("it will not be shown again"), "once");
    await page.getByRole("button", { name: "Done" }).click();
    assert(await page.locator("#webhook-secret").count() === 0, "Done removes the secret from the page");
    // The next message is signed with the new secret only.
    const moreClient = await api("PATCH", `/api/v1/clients/${client.data.id}`, { given_name: "Ina" }, { "If-Match": `"${version}"` });
    assert(moreClient.status === 200, `client renamed back (${moreClient.status})`);
    const fourth = await receiver.waitFor(4);
    assert(JSON.parse(fourth.body).type === "client.updated" && signedWith(fourth, rotated) && !signedWith(fourth, secret), "signed with the new secret, not the old one");
    for (const url of [dead, receiver.url]) {
      await page.getByRole("button", { name: `Delete endpoint ${url}` }).click();
      await waitText(page.locator("#view"), `Endpoint ${url} deleted.`);
      assert(/Delete the endpoint/.test(shared.lastDialog || ""), "asked first");
    }
    await waitText(page.locator("#view"), "No endpoint yet");
    assert((await pageGet(page, `/api/v1/webhook-endpoints/${endpoint.id}`)).status === 404, "the endpoint is gone");
  } finally {
    await receiver.close();
  }
});

test("a paralegal has no Webhooks page: the tab says so and the server refuses the list", async () => {
  const page = shared.page;
  await gotoHash(page, "#/admin/webhooks");
  await waitText(page.locator("#view"), "Only an administrator can open these pages.");
  assert(await page.locator("#webhook-table").count() === 0 && await page.locator("#add-webhook").count() === 0, "no list, no form");
  assert((await api("GET", "/api/v1/webhook-endpoints")).status === 403, "the server refuses a paralegal");
  await gotoHash(page, "#/today");
});

// A stand-in for the USCIS Case Status API on a free loopback port: an OAuth client-credentials
// token (client x, secret y) and each receipt's case status from `answers` (receipt -> {text,
// desc, textEs, descEs, date}); a receipt not in `answers` is unknown (404).
async function uscisStandIn() {
  const answers = new Map();
  const caseRequests = [];
  const http = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      const json = (status, value) => { res.writeHead(status, { "Content-Type": "application/json" }); res.end(JSON.stringify(value)); };
      if (req.method === "POST" && req.url === "/oauth/accesstoken") {
        const form = new URLSearchParams(body);
        if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== "x" || form.get("client_secret") !== "y") return json(401, { error: "invalid_client" });
        return json(200, { access_token: "t1", expires_in: 1800, token_type: "Bearer" });
      }
      const m = /^\/case-status\/([A-Za-z0-9]+)$/.exec(req.url);
      if (req.method !== "GET" || !m) return json(404, { message: "no such path" });
      if (req.headers.authorization !== "Bearer t1") return json(401, { message: "invalid or expired token" });
      caseRequests.push(m[1]);
      const a = answers.get(m[1]);
      if (!a) return json(404, { message: "receipt not found" });
      return json(200, { case_status: { receiptNumber: m[1], formType: "I-131", submittedDate: "2026-01-05", modifiedDate: a.date,
        current_case_status_text_en: a.text, current_case_status_desc_en: a.desc, current_case_status_text_es: a.textEs ?? null,
        current_case_status_desc_es: a.descEs ?? null, hist_case_status: null }, message: "ok" });
    });
  });
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}`, answers, caseRequests,
    close: () => new Promise((resolve) => { http.closeAllConnections?.(); http.close(resolve); }),
  };
}

test("USCIS case statuses on the request page: record the RFE one proposes through its form, dismiss and undo another", async () => {
  const standIn = await uscisStandIn();
  const other = await startServer();
  const pages = [];
  try {
    for (const user of [PARALEGAL, VIEWER]) addUser(other, user);
    const call = await apiSession(other, PARALEGAL.email, PARALEGAL.password);
    const sync = async () => {
      const r = await runCli(other, "uscis-sync", ["--uscis-base-url", standIn.url], { env: { PAROLETRACK_USCIS_CLIENT_ID: "x", PAROLETRACK_USCIS_CLIENT_SECRET: "y" } });
      assert(r.status === 0 && /0 failed/.test(r.stdout), `uscis-sync ran (${r.status}: ${r.stdout} ${r.stderr})`);
    };
    const client = await call("POST", "/api/v1/clients", { family_name: "Statusova", given_name: "Daria" });
    const made = await call("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "humanitarian", location: "outside_us" });
    assert(made.status === 201, `request created (${made.status})`);
    const id = made.data.id;
    const base = `/api/v1/parole-requests/${id}`;
    const receipt = "IOE0987654321";
    assert((await call("POST", `${base}/filings`, { form: "I-131", filed_on: firmDay(-40), receipt_number: receipt })).status === 201, "a filing with a receipt number");
    // Before any check: the section says when statuses appear.
    const page = await openPage(undefined, other.base);
    pages.push(page);
    await signIn(page, PARALEGAL);
    await gotoHash(page, `#/requests/${id}`);
    const section = page.locator("#uscis-statuses");
    await waitText(section, "Statuses appear here after the nightly USCIS check runs for this request's receipt numbers");
    // The nightly check finds a request for evidence.
    const rfeDay = firmDay(-6);
    standIn.answers.set(receipt, { text: "Request for Evidence Was Sent", desc: "We sent you a request for evidence.", textEs: "Se envió una solicitud de evidencia", descEs: "Le enviamos una solicitud de evidencia.", date: rfeDay });
    await sync();
    assert(standIn.caseRequests.includes(receipt), "the receipt was asked about");
    let statuses = (await call("GET", `${base}/uscis-statuses`)).data.items;
    assert(statuses.length === 1 && statuses[0].proposes === "rfe" && statuses[0].proposal_state === "open", `one open RFE proposal (${JSON.stringify(statuses)})`);
    const rfeStatus = statuses[0];
    await page.reload();
    const latest = section.locator(".uscis-latest");
    const shown = await waitText(latest, "Request for Evidence Was Sent");
    assert(shown.includes(`USCIS date: ${usDate(rfeDay)}`) && shown.includes(`Receipt ${receipt}`) && shown.includes("We sent you a request for evidence.") && shown.includes("Checked "),
      `the latest status with its date, receipt number, check time and description (${shown})`);
    // The Spanish text behind a toggle.
    const spanish = latest.locator('[lang="es"]');
    assert(await spanish.isHidden(), "the Spanish text starts hidden");
    await latest.getByRole("button", { name: "Show in Spanish" }).click();
    await waitText(spanish, "Se envió una solicitud de evidencia");
    assert(await latest.getByRole("button", { name: "Hide Spanish" }).getAttribute("aria-expanded") === "true", "the toggle says it is open");
    await waitText(latest.locator(".proposal"), "USCIS says: Request for Evidence Was Sent. Record it?");
    // The timeline lists the status and leads to it in the section.
    const inTimeline = page.locator("#timeline-list a", { hasText: "USCIS: Request for Evidence Was Sent" });
    await inTimeline.click();
    await page.waitForFunction((sid) => document.activeElement && document.activeElement.id === `uscis-status-${sid}`, rfeStatus.id);
    assert(await page.evaluate(() => location.hash) === `#/requests/${id}`, "the address stays the request's");
    // "Record RFE": the RFE form, filled in from the status. Cancelled, nothing is confirmed.
    await latest.getByRole("button", { name: "Record RFE" }).click();
    const rfeForm = page.locator("#section-rfes form.record-form");
    await rfeForm.waitFor();
    assert(await rfeForm.locator('[name="issued_on"]').inputValue() === rfeDay, "issued on the USCIS date");
    assert(await rfeForm.locator('[name="kind"]').inputValue() === "rfe", "an RFE, not a NOID");
    assert((await rfeForm.innerText()).includes("from USCIS: Request for Evidence Was Sent"), "the form says where its values come from");
    await rfeForm.getByRole("button", { name: "Cancel" }).click();
    await page.waitForFunction(() => document.activeElement && document.activeElement.textContent === "Record RFE");
    assert((await call("GET", `${base}/uscis-statuses/${rfeStatus.id}`)).data.proposal_state === "open", "a cancelled form confirms nothing");
    assert((await call("GET", `${base}/rfes`)).data.items.length === 0, "and records nothing");
    // Again, and saved: the RFE is in its section and the status is marked recorded.
    await latest.getByRole("button", { name: "Record RFE" }).click();
    await rfeForm.locator('[name="response_due_on"]').fill(firmDay(24));
    await page.screenshot({ path: join(shots, "request-uscis-record-form.png"), fullPage: true });
    await rfeForm.locator("button[type=submit]").click();
    await waitText(page.locator("#section-rfes tbody"), usDate(rfeDay));
    await waitText(latest.locator(".proposal"), "Recorded");
    await waitText(page.locator("#request-stage"), "RFE open");
    const rfes = (await call("GET", `${base}/rfes`)).data.items;
    assert(rfes.length === 1 && rfes[0].issued_on === rfeDay && rfes[0].kind === "rfe" && rfes[0].response_due_on === firmDay(24), `the RFE is stored (${JSON.stringify(rfes)})`);
    const confirmed = (await call("GET", `${base}/uscis-statuses/${rfeStatus.id}`)).data;
    assert(confirmed.proposal_state === "confirmed" && confirmed.version === rfeStatus.version + 1, `the status is confirmed (${JSON.stringify(confirmed)})`);
    await waitText(page.locator("#history"), `update USCIS case status ${rfeStatus.id}`);
    await page.screenshot({ path: join(shots, "request-uscis-recorded.png"), fullPage: true });
    // A second status: an approval. Its decision form is filled in; cancelled; then it is dismissed and undone.
    const approvedDay = firmDay(-1);
    standIn.answers.set(receipt, { text: "Case Was Approved", desc: "We approved your case.", date: approvedDay });
    await sync();
    statuses = (await call("GET", `${base}/uscis-statuses`)).data.items;
    assert(statuses.length === 2 && statuses[0].proposes === "decision_approved", `a second, newest first (${JSON.stringify(statuses.map((x) => x.status_text_en))})`);
    const approval = statuses[0];
    await page.reload();
    await waitText(latest, "Case Was Approved");
    assert(await latest.getByRole("button", { name: "Show in Spanish" }).count() === 0, "no Spanish toggle without Spanish text");
    const earlier = section.locator(`#uscis-history [data-status="${rfeStatus.id}"]`);
    await waitText(earlier, "Request for Evidence Was Sent");
    assert((await earlier.locator(".badge").innerText()) === "Recorded", "the older status is shown recorded");
    await latest.getByRole("button", { name: "Record approval" }).click();
    const decisionForm = page.locator("#section-decisions form.record-form");
    await decisionForm.waitFor();
    assert(await decisionForm.locator('[name="outcome"]').inputValue() === "approved" && await decisionForm.locator('[name="decided_on"]').inputValue() === approvedDay, "the decision form has the outcome and date");
    await decisionForm.getByRole("button", { name: "Cancel" }).click();
    await latest.getByRole("button", { name: "Dismiss" }).click();
    await waitText(latest.locator(".proposal .badge"), "Dismissed");
    assert(/Dismiss “Case Was Approved”/.test(shared.lastDialog || ""), `asked first (${shared.lastDialog})`);
    assert((await call("GET", `${base}/uscis-statuses/${approval.id}`)).data.proposal_state === "dismissed", "stored dismissed");
    assert((await call("GET", `${base}/decisions`)).data.items.length === 0, "no decision was recorded");
    await latest.getByRole("button", { name: /^Undo/ }).click();
    await latest.getByRole("button", { name: "Record approval" }).waitFor();
    await page.waitForFunction(() => document.activeElement && document.activeElement.textContent === "Record approval");
    assert((await call("GET", `${base}/uscis-statuses/${approval.id}`)).data.proposal_state === "open", "open again");
    // A stale page: a colleague dismissed it meanwhile, so this page's Dismiss changes nothing and says why.
    const fresh = (await call("GET", `${base}/uscis-statuses/${approval.id}`)).data;
    assert((await call("PATCH", `${base}/uscis-statuses/${approval.id}`, { proposal_state: "dismissed" }, { "If-Match": `"${fresh.version}"` })).status === 200, "the colleague's dismissal");
    await latest.getByRole("button", { name: "Dismiss" }).click();
    await waitText(latest.locator(".proposal"), "Someone else changed this status");
    assert((await latest.locator(".proposal .badge").innerText()) === "Dismissed", "shown as it is now");
    await latest.getByRole("button", { name: /^Undo/ }).click();
    await latest.getByRole("button", { name: "Record approval" }).waitFor();
    // On a phone the section fits the screen.
    await fitsPhone(page, "the request page with USCIS statuses");
    // A second request with twelve receipts: the newest status first, ten older, Load more the last.
    const many = await call("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "humanitarian", location: "inside_us" });
    const receipts = Array.from({ length: 12 }, (_, n) => `IOE09100000${String(n).padStart(2, "0")}`);
    for (const r of receipts) {
      assert((await call("POST", `/api/v1/parole-requests/${many.data.id}/filings`, { form: "I-765", filed_on: firmDay(-30), receipt_number: r })).status === 201, "filed");
      standIn.answers.set(r, { text: "Case Is Being Actively Reviewed By USCIS", desc: `We are reviewing ${r}.`, date: "December 2, 2026" });
    }
    await sync();
    await gotoHash(page, `#/requests/${many.data.id}`);
    await waitText(section.locator(".uscis-latest"), "Case Is Being Actively Reviewed By USCIS");
    assert((await section.locator(".uscis-latest").innerText()).includes("USCIS date: December 2, 2026"), "a date USCIS wrote otherwise is shown as given");
    const rows = section.locator("#uscis-history > li");
    await page.waitForFunction(() => document.querySelectorAll("#uscis-history > li").length === 10);
    assert(await section.locator(".proposal").count() === 0 && await section.getByRole("button", { name: /^Record|^Dismiss/ }).count() === 0, "a status that proposes nothing has no buttons");
    await section.getByRole("button", { name: "Load more" }).click();
    await page.waitForFunction(() => document.querySelectorAll("#uscis-history > li").length === 11);
    const ids = await rows.evaluateAll((lis) => lis.map((li) => Number(li.dataset.status)));
    assert(new Set(ids).size === 11 && ids.every((x, i) => i === 0 || x < ids[i - 1]), `older statuses newest first, each once (${ids})`);
    assert(await page.locator("#uscis-more").isHidden(), "no Load more at the end");
    // "Case Was Received" for one of its receipts: "Record receipt" completes that filing's receipt notice date.
    const receivedDay = firmDay(-20);
    standIn.answers.set(receipts[3], { text: "Case Was Received", desc: "We received your case.", date: receivedDay });
    await sync();
    await page.reload();
    const received = section.locator(".uscis-latest");
    await waitText(received, "Case Was Received");
    await received.getByRole("button", { name: "Record receipt" }).click();
    const filingForm = page.locator("#section-filings form.record-form");
    await filingForm.waitFor();
    assert(await filingForm.locator('[name="receipt_number"]').inputValue() === receipts[3], "the form edits the filing with that receipt number");
    assert(await filingForm.locator('[name="receipt_notice_on"]').inputValue() === receivedDay, "the receipt notice date from USCIS");
    await filingForm.locator("button[type=submit]").click();
    await waitText(received.locator(".proposal .badge"), "Recorded");
    const filing = (await call("GET", `/api/v1/parole-requests/${many.data.id}/filings`)).data.items.find((f) => f.receipt_number === receipts[3]);
    assert(filing.receipt_notice_on === receivedDay, `the filing has its receipt notice date (${JSON.stringify(filing)})`);
    assert((await call("GET", `/api/v1/parole-requests/${many.data.id}/filings`)).data.items.length === 12, "no filing was added");
    // A viewer sees the statuses and no buttons; the server refuses a viewer's change anyway.
    const viewer = await openPage(undefined, other.base);
    pages.push(viewer);
    await signIn(viewer, VIEWER);
    await gotoHash(viewer, `#/requests/${id}`);
    const seen = viewer.locator("#uscis-statuses");
    await waitText(seen.locator(".uscis-latest"), "Case Was Approved");
    await waitText(seen.locator(".uscis-latest .proposal"), "Not recorded yet");
    await waitText(seen.locator("#uscis-history"), "Recorded");
    assert(await seen.getByRole("button", { name: /Record|Dismiss|Undo|Mark as recorded/ }).count() === 0, "no Record, Dismiss or Undo for a viewer");
    const current = (await call("GET", `${base}/uscis-statuses/${approval.id}`)).data;
    const refused = await pageCall(viewer, "PATCH", `${base}/uscis-statuses/${approval.id}`, { proposal_state: "dismissed" }, current.version);
    assert(refused.status === 403, `the server refuses a viewer (${refused.status})`);
    await viewer.screenshot({ path: join(shots, "request-uscis-viewer.png"), fullPage: true });
  } finally {
    for (const p of pages) await p.context().close().catch(() => {});
    shared.current = shared.page;
    await other.stop();
    await standIn.close();
  }
});

// --- issue 15: the paralegal's day -----------------------------------------------------------

// A request of a new client named `family` with RFEs whose responses are due in each of `days`;
// returns the request and its deadlines' ids in that order.
async function caseWithRfes(family, days) {
  const client = await api("POST", "/api/v1/clients", { family_name: family, given_name: "Daria" });
  const request = await api("POST", "/api/v1/parole-requests", { client_id: client.data.id, parole_type: "humanitarian" });
  const ids = [];
  for (const n of days) {
    const rfe = await api("POST", `/api/v1/parole-requests/${request.data.id}/rfes`, { issued_on: firmDay(-20), response_due_on: firmDay(n) });
    assert(rfe.status === 201, `RFE: ${JSON.stringify(rfe.data)}`);
    ids.push(`rfes/${rfe.data.id}/rfe_response`);
  }
  return { client: client.data, request: request.data, ids };
}

for (const [size, viewport] of [["desktop", { width: 1366, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
  test(`Today's queue (${size}): mark a deadline handled, snooze another, assign a third`, async () => {
    const family = `Triage${size === "phone" ? "Phone" : "Desk"}`;
    const { request, ids } = await caseWithRfes(family, [2, 3, 4]);
    await caseWithRfes(`${family}Late`, [-1]); // something overdue for the filters to hide
    const page = await signedInPage(PARALEGAL, viewport);
    await gotoHash(page, "#/today");
    const rows = page.locator("#due-table tbody tr", { hasText: family });
    await rows.first().waitFor();
    assert(await rows.count() === 3, `three of the case's deadlines are due (${await rows.count()})`);
    // Handled, with a reason: the row leaves the queue.
    const first = rows.filter({ hasText: usDate(firmDay(2)) });
    await first.getByRole("button", { name: /^Mark handled/ }).click();
    await page.getByLabel("What was done, or why nothing more is needed").fill("Response sent by courier");
    await page.getByRole("button", { name: "Mark handled", exact: true }).click();
    await page.waitForFunction((n) => [...document.querySelectorAll("#due-table tbody tr")].filter((r) => r.innerText.includes(n)).length === 2, family);
    // Snoozed: it leaves the queue too.
    await rows.filter({ hasText: usDate(firmDay(3)) }).getByRole("button", { name: /^Snooze/ }).click();
    await page.getByLabel("Hide it from the queue until").fill(firmDay(10));
    await page.getByRole("button", { name: "Snooze", exact: true }).click();
    await page.waitForFunction((n) => [...document.querySelectorAll("#due-table tbody tr")].filter((r) => r.innerText.includes(n)).length === 1, family);
    // Assigned: it stays, naming the person.
    await rows.first().getByRole("button", { name: /^Assign/ }).click();
    await page.getByLabel("Assign this deadline to").selectOption({ label: "Rae Paralegal (paralegal)" });
    await page.getByRole("button", { name: "Assign", exact: true }).click();
    await waitText(rows.first(), "Assigned to Rae Paralegal");
    assert(await rows.first().locator(".triage-form").count() === 0, "the form closes once the change is stored");
    // The counts above the lists filter them: "Coming up" hides the overdue rows, pressed again
    // shows them.
    assert(await page.locator("#overdue-table tbody tr:visible").count() > 0, "something is overdue");
    await page.click("#filter-upcoming");
    const overdueShown = await page.locator("#overdue-table tbody tr:visible").count();
    assert(overdueShown === 0, `only rows coming up are shown (${overdueShown} overdue visible)`);
    assert(await rows.first().isVisible(), "the case's upcoming row stays");
    await page.click("#filter-upcoming");
    assert(await page.locator("#filter-upcoming").getAttribute("aria-pressed") === "false", "pressed again: every row");
    assert(!(await page.locator("#view").innerText()).includes("could not be loaded"), "every list of Today loads");
    await page.screenshot({ path: join(shots, `today-triage-${size}.png`), fullPage: true });
    // The server holds each decision, and a fresh Today shows only the assigned one.
    const got = await Promise.all(ids.map((id) => api("GET", `/api/v1/deadlines/${id}`)));
    assert(got.map((r) => r.data.triage).join() === "handled,snoozed,open", `triage: ${got.map((r) => r.data.triage)}`);
    assert(got[0].data.handled_reason === "Response sent by courier", "the reason is stored");
    assert(got[2].data.assignee_id !== null, "the assignee is stored");
    await gotoHash(page, "#/clients");
    await gotoHash(page, "#/today");
    await page.locator("#due-table tbody tr", { hasText: family }).first().waitFor();
    assert(await page.locator("#due-table tbody tr", { hasText: family }).count() === 1, "one of the three is still on the queue");
    const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(width <= 1, `no sideways scrolling of the page (${width}px)`);
    assert(request.id > 0, "the case exists");
  });
}

test("a blank handled reason is refused beside the field and nothing changes", async () => {
  const { ids } = await caseWithRfes("TriageBlank", [5]);
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, "#/today");
  const row = page.locator("#due-table tbody tr", { hasText: "TriageBlank" });
  await row.getByRole("button", { name: /^Mark handled/ }).click();
  await page.getByRole("button", { name: "Mark handled", exact: true }).click();
  await waitText(row.locator(".triage-form .error"), "Reason");
  const d = await api("GET", `/api/v1/deadlines/${ids[0]}`);
  assert(d.data.triage === "open" && d.data.version === 1, "nothing was stored");
});

test("the header's search finds a client despite a typo, from the keyboard (/)", async () => {
  await api("POST", "/api/v1/clients", { family_name: "Gonzalez", given_name: "Marisol" });
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, "#/today");
  await page.locator("#view h1").waitFor();
  await page.keyboard.press("/");
  assert(await page.evaluate(() => document.activeElement.id) === "search-q", "/ puts the cursor in the search box");
  await page.keyboard.type("gonzalves");
  const hit = page.locator("#search-results a", { hasText: "Gonzalez, Marisol" });
  await hit.waitFor();
  await page.screenshot({ path: join(shots, "search.png"), fullPage: false });
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await waitText(page.locator("#view h1"), "Gonzalez");
  assert(await page.locator("#search-results").isHidden(), "the results close on the way");
  // A receipt number waits for Enter, then leads to its request.
  await page.fill("#search-q", RECEIPT);
  await page.locator("#search-q").press("Enter");
  await page.locator("#search-results a", { hasText: "Request" }).first().waitFor();
  // Nothing found says so in words.
  await page.fill("#search-q", "zzqxv");
  await page.locator("#search-q").press("Enter");
  await waitText(page.locator("#search-results"), "Nothing matches");
});

test("a possible duplicate client is shown before it is saved; confirming saves it as another person", async () => {
  const first = await api("POST", "/api/v1/clients", { family_name: "Bondarenko", given_name: "Yuliia", date_of_birth: "1987-06-21" });
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, "#/clients/new");
  await field(page, "family_name").waitFor();
  await fillForm(page, { family_name: "Bondarenka", given_name: "Yuliia", date_of_birth: "1987-06-21" });
  await submitForm(page);
  const warning = await waitText(page.locator("#duplicate-warning"), "may be a client you already have");
  assert(warning.includes("Bondarenko, Yuliia"), `the other client is named (${warning})`);
  assert(await page.locator("#duplicate-warning a").getAttribute("href") === `#/clients/${first.data.id}`, "a link opens the other client");
  assert(page.url().endsWith("#/clients/new"), "nothing was saved yet");
  await page.screenshot({ path: join(shots, "possible-duplicate.png"), fullPage: true });
  await page.click("#not-duplicate");
  await page.waitForFunction(() => /#\/clients\/\d+$/.test(location.hash));
  const id = Number(page.url().split("/").pop());
  const saved = await api("GET", `/api/v1/clients/${id}`);
  assert(JSON.stringify(saved.data.distinct_from) === JSON.stringify([first.data.id]), `distinct_from kept: ${JSON.stringify(saved.data.distinct_from)}`);
});

test("an A-number already on another client is refused, naming that client", async () => {
  const first = await api("POST", "/api/v1/clients", { family_name: "Melnyk", given_name: "Oleh", a_number: "A204518833" });
  assert(first.status === 201, JSON.stringify(first.data));
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, "#/clients/new");
  await field(page, "family_name").waitFor();
  await fillForm(page, { family_name: "Melnik", given_name: "Oleg", a_number: "204518833" });
  await submitForm(page);
  const warning = await waitText(page.locator("#duplicate-warning"), "already on another client");
  assert(warning.includes("Melnyk, Oleh"), warning);
  assert(await page.locator("#not-duplicate").count() === 0, "no way to save it anyway");
});

test("leaving a half-filled form asks first: Stay keeps what was typed, Leave goes", async () => {
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, "#/clients/new");
  await field(page, "family_name").waitFor();
  await fillForm(page, { family_name: "Halfway", given_name: "Typed" });
  await page.locator('#nav a[data-page="today"]').click();
  await page.locator("#leave-dialog").waitFor();
  await waitText(page.locator("#leave-dialog"), "Leave without saving?");
  await page.screenshot({ path: join(shots, "leave-guard.png"), fullPage: false });
  await page.click("#leave-stay");
  assert(page.url().endsWith("#/clients/new"), `still on the form (${page.url()})`);
  assert(await field(page, "family_name").inputValue() === "Halfway", "what was typed is still there");
  await page.locator('#nav a[data-page="today"]').click();
  await page.click("#leave-go");
  await waitText(page.locator("#view h1"), "Today");
  // A saved form leaves without a question.
  await gotoHash(page, "#/clients/new");
  await field(page, "family_name").waitFor();
  await fillForm(page, { family_name: "Saved", given_name: "Straight" });
  await submitForm(page);
  await page.waitForFunction(() => /#\/clients\/\d+$/.test(location.hash));
  await page.locator('#nav a[data-page="today"]').click();
  await waitText(page.locator("#view h1"), "Today");
  assert(await page.locator("#leave-dialog").count() === 0, "no question after a save");
});

test("a year typed with two digits is caught beside the field, not stored as year 0026", async () => {
  const page = await signedInPage(PARALEGAL);
  await gotoHash(page, "#/clients/new");
  await field(page, "family_name").waitFor();
  await fillForm(page, { family_name: "Twodigit", given_name: "Year" });
  await field(page, "date_of_birth").fill("0026-03-14"); // what the date input holds after "3/14/26"
  await submitForm(page);
  const error = await waitText(page.locator(`#${await field(page, "date_of_birth").getAttribute("id")}-error`), "four digits");
  assert(error.includes("0026"), error);
  assert(page.url().endsWith("#/clients/new"), "nothing was saved");
});

test("no page raised a script error or a Content-Security-Policy violation", async () => {
  assert(!(shared.pageErrors || []).length, `errors: ${(shared.pageErrors || []).join(" | ")}`);
});

// --- the runner -------------------------------------------------------------------------------

async function main() {
  let passed = 0, failed = 0;
  shots = artifactsDir();
  try {
    server = await startServer();
    for (const user of [PARALEGAL, VIEWER, ADMIN, RAE]) addUser(server, user);
    api = await apiSession(server, PARALEGAL.email, PARALEGAL.password);
    browser = await launchBrowser();
  } catch (error) {
    console.log(`not ok - setup: ${error.stack || error}`);
    console.log(`0 passed, ${tests.length} failed`);
    if (server) await server.stop();
    process.exit(1);
  }
  const only = process.env.PAROLETRACK_BROWSER_ONLY;
  for (const [i, t] of tests.entries()) {
    if (only && i !== 0 && i !== tests.length - 1 && !t.name.toLowerCase().includes(only.toLowerCase())) continue;
    const slug = `${String(i + 1).padStart(2, "0")}-${t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60).toLowerCase()}`;
    try {
      await Promise.race([t.fn(), new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 60 s")), 60000))]);
      passed++;
      console.log(`ok ${i + 1} - ${t.name}`);
    } catch (error) {
      failed++;
      console.log(`not ok ${i + 1} - ${t.name}\n  ${String(error.stack || error).split("\n").slice(0, 4).join("\n  ")}`);
    }
    const shown = shared.current || shared.page;
    if (shown) await shown.screenshot({ path: join(shots, `${slug}.png`), fullPage: true }).catch(() => {});
    if (shown && shared.page && shown !== shared.page) await shown.context().close().catch(() => {});
    shared.current = shared.page;
  }
  await browser.close();
  await server.stop();
  console.log(`screenshots in ${shots}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
