// labels: how field names and codes read to a paralegal. A name not listed here is shown
// humanised ("receipt_notice_on" -> "Receipt notice on").
import { humanize } from "./dom.js";
import { problemText } from "./api.js";

const FIELD_LABELS = {
  family_name: "Family name", given_name: "Given name(s)", other_names: "Other names (one per line)",
  date_of_birth: "Date of birth", country_of_birth: "Country of birth (2 letters)", citizenship: "Citizenship (2 letters)",
  a_number: "A-number", passport_number: "Passport number", passport_country: "Passport country (2 letters)",
  passport_expires_on: "Passport expires on", email: "E-mail", phone: "Phone", address: "Address",
  preferred_language: "Preferred language (e.g. uk, es, ar)", notes: "Notes",
  address_since: "Living at this address since", track_asylum_deadline: "Track the asylum one-year deadline",
  distinct_from: "Checked: not the same person as",
  arrived_on: "Arrived on", departed_on: "Departed on", port: "Port of entry",
  class_of_admission: "Class of admission (as on the I-94, e.g. DT, UHP, OAR, PAR)",
  renews_request_id: "Renews request",
  parole_type: "Parole type", program: "Program",
  location: "Location", summary: "Summary", sponsor_name: "Sponsor name", sponsor_relationship: "Sponsor relationship",
  sponsor_status: "Sponsor status", expedite: "Expedite requested",
  assigned_attorney_id: "Assigned attorney", assigned_paralegal_id: "Assigned paralegal",
  form: "Form", filed_on: "Filed on", kind: "Kind", receipt_number: "Receipt number",
  receipt_notice_on: "Receipt notice date", fee_cents: "Fee (US$)", method: "Filing method",
  issued_on: "Issued on", response_due_on: "Response due on", mailed: "Notice was mailed",
  responded_on: "Responded on", scheduled_at: "Scheduled at (firm time)", outcome: "Outcome",
  decided_on: "Decided on", valid_from: "Valid from", valid_until: "Valid until",
  expires_on: "Expires on", document_number: "Document number",
  ead_category: "Work permit category (as on the card, e.g. C11)",
  amount_cents: "Amount (US$)", due_on: "Due on", paid_on: "Paid on",
  description: "Description", days: "Days", mailed_extra_days: "Extra days when mailed",
  opens_days_before: "Window opens (days before)", lead_times: "Reminder lead times (days, comma-separated)",
  enabled: "Enabled", effective_from: "Effective from", effective_to: "Effective to",
  citation_source: "Citation", citation_date: "Citation date",
  code: "Code (cannot be changed later)", aliases: "Other spellings (one per line)", terminated_on: "Terminated on",
  exceptions: "Exceptions to the termination",
  require_totp_for_all: "Require an authenticator app of every user", session_idle_minutes: "Sign out after idle (minutes)",
  session_absolute_hours: "Longest session (hours)", old_password: "Current password", new_password: "New password",
  url: "Address (URL)", events: "Events to send", include_identifiers: "Send identifiers and notes",
  status_text_en: "Status", status_desc_en: "Description", status_text_es: "Status in Spanish",
  status_desc_es: "Description in Spanish", form_type: "Form", proposes: "Proposed event",
};

const CHOICE_LABELS = {
  outside_us: "Outside the US", inside_us: "Inside the US", us_citizen: "US citizen", lpr: "Permanent resident (LPR)",
  significant_public_benefit: "Significant public benefit", military_parole_in_place: "Military parole in place",
  re_parole: "Re-parole", i94: "I-94", ead: "EAD (work permit)", administratively_closed: "Administratively closed",
  noid: "NOID", rfe: "RFE", program: "Program parole",
  parole_fee: "Parole fee", filing_fee: "Filing fee", other: "Other",
};

export function fieldLabel(name) { return FIELD_LABELS[name] || humanize(name); }

const ENTITY_LABELS = {
  clients: "client", parole_requests: "parole request", filings: "filing", rfes: "RFE", interviews: "appointment",
  decisions: "decision", expirations: "expiry date", users: "user", api_keys: "API key", settings: "settings",
  deadline_rules: "deadline rule", programs: "program", fee_notices: "fee notice", fee_schedule: "fee schedule row", entries: "travel history entry",
  webhook_endpoints: "webhook endpoint", webhook_deliveries: "webhook delivery", uscis_statuses: "USCIS case status",
  deadlines: "deadline",
};

// What an audit event's action did, in words.
const ACTION_LABELS = {
  create: "Added", update: "Changed", delete: "Deleted", export: "Exported a list",
  read_identifiers: "Viewed the identifiers", read_notes: "Read the notes", lookup_identifiers: "Looked up by A-number or passport",
  totp_enable: "Set up the authenticator app", password_change: "Changed the password", password_check_failed: "Typed a wrong password",
  sign_in_failed: "Failed to sign in", sign_in: "Signed in", sign_out: "Signed out", user_create: "Added a user", user_update: "Changed a user",
  api_key_create: "Created an API key", api_key_revoke: "Revoked an API key", settings_update: "Changed the settings",
  rotate_secret: "Made a new webhook secret", replay: "Sent a webhook again",
};
export function actionLabel(action) { return ACTION_LABELS[action] || humanize(action); }

// One change of an audit event in words: "Family name: Kowalenko → Kowalenka"; a sealed or
// secret value the trail does not keep shows as changed, not shown.
export function changeText(name, change) {
  const show = (v) => v === null || v === undefined ? "—" : Array.isArray(v) ? v.join(", ") || "—" : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (!change || typeof change !== "object" || !("before" in change || "after" in change)) return columnLabel(name);
  if (change.before === "[redacted]" || change.after === "[redacted]") return `${columnLabel(name)}: changed (not shown)`;
  return `${columnLabel(name)}: ${show(change.before)} → ${show(change.after)}`;
}

// The singular name of an audited table ("parole_requests" -> "parole request").
export function entityLabel(entity) { return ENTITY_LABELS[entity] || humanize(entity).toLowerCase(); }

// A short label for a table header (the form label without its hint in parentheses).
// Where the form's label is too long for a column: a shorter header.
const COLUMN_LABELS = { ead_category: "EAD category", arrived_on: "Arrived", departed_on: "Departed", port: "Port" };
export function columnLabel(name) { return COLUMN_LABELS[name] || fieldLabel(name).replace(/ \(.*\)$/, ""); }
export function choiceLabel(value) { return CHOICE_LABELS[value] || humanize(value); }

// What a failed list read says: each bad query parameter by its label, else the problem's text.
export function queryProblemText(result) {
  return result.problem.errors.map((e) => `${fieldLabel(e.field)}: ${e.message}`).join("; ") || problemText(result);
}

// A deadline's status ("moot": a decision settled it before it was done).
const STATUS_LABELS = { upcoming: "Upcoming", due_today: "Due today", overdue: "Overdue", met: "Done", moot: "Moot" };
export function statusLabel(status) { return STATUS_LABELS[status] || humanize(status); }

// What each kind of deadline is, in plain words (the deadline's own title says more: which
// appointment, which fee).
const DEADLINE_KIND_LABELS = {
  rfe_response: "RFE response due", noid_response: "NOID response due", motion: "Motion or appeal due",
  interview: "Interview", biometrics: "Biometrics appointment", parole_end: "Parole ends",
  reparole_filing: "File for re-parole", ead_end: "Work permit ends", travel_by: "Travel by",
  passport_expiry: "Passport expires", missed_appointment: "Missed appointment — reschedule now",
  fee_payment: "Fee due", asylum_one_year: "Asylum: file the I-589 within a year of arrival",
  address_change_report: "Report the change of address (AR-11)",
};
export function deadlineKindLabel(kind) { return DEADLINE_KIND_LABELS[kind] || humanize(kind); }

// The event a USCIS case status proposes (`proposes`), in plain words, and the short name of
// what would be recorded for it ("Record RFE", "Record approval").
const PROPOSAL_LABELS = {
  receipt: "Receipt notice", rfe: "Request for evidence", noid: "Notice of intent to deny",
  interview: "Interview", biometrics: "Biometrics (fingerprints)", decision_approved: "Approval",
  decision_denied: "Denial", withdrawal: "Withdrawal",
};
const PROPOSAL_NOUNS = {
  receipt: "receipt", rfe: "RFE", noid: "NOID", interview: "interview", biometrics: "biometrics",
  decision_approved: "approval", decision_denied: "denial", withdrawal: "withdrawal",
};
export function proposalLabel(code) { return PROPOSAL_LABELS[code] || humanize(code); }
export function proposalNoun(code) { return PROPOSAL_NOUNS[code] || humanize(code).toLowerCase(); }

// A work permit category as 8 CFR 274a.12 writes it, with what it is ("c11" -> "(c)(11) parole").
const EAD_CATEGORIES = {
  c11: "parole", a12: "TPS", c19: "TPS pending", c8: "asylum pending", c9: "adjustment pending",
  a10: "withholding of removal", a3: "refugee", a5: "asylee", c10: "cancellation of removal pending",
  c18: "order of supervision", c33: "DACA",
};
export function eadCategoryLabel(code) {
  if (!code) return "";
  const m = /^([ac])(\d+)$/.exec(code);
  if (!m) return choiceLabel(code);
  return `(${m[1]})(${m[2]})${EAD_CATEGORIES[code] ? ` ${EAD_CATEGORIES[code]}` : ""}`;
}
