// format: dates and numbers as the firm reads them, in the firm's locale and time zone (from the
// session's "firm" member), whatever the browser's own settings are.

const firm = { locale: "en-US", timeZone: undefined };

// Take the firm's settings from a session object.
export function setFirm(session) {
  if (session && session.firm) {
    firm.locale = session.firm.locale || "en-US";
    firm.timeZone = session.firm.time_zone || undefined;
  }
}

export function firmLocale() { return firm.locale; }
export function firmZone() { return firm.timeZone; }

// "2026-12-04" -> "Dec 4, 2026" (a calendar date: no zone shift).
export function formatDate(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(firm.locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

// The ISO dates inside a server's message shown as the firm reads them ("opens on 2027-06-04"
// -> "opens on Jun 4, 2027").
export function formatDatesIn(text) {
  return String(text || "").replace(/\b(19|20|21)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g, (iso) => formatDate(iso));
}

// An RFC 3339 instant shown in the firm's zone with the zone's short name.
export function formatInstant(ts) {
  if (!ts) return "";
  return new Intl.DateTimeFormat(firm.locale, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: firm.timeZone, timeZoneName: "short" }).format(new Date(ts));
}

// "2026-12" -> "Dec 2026".
export function formatMonth(yearMonth) {
  const [y, m] = yearMonth.split("-").map(Number);
  return new Intl.DateTimeFormat(firm.locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

// The wall-clock parts of an instant in the firm's zone.
function zonedParts(date) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: firm.timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

// Today's date in the firm's zone, "YYYY-MM-DD".
export function firmToday() {
  const p = zonedParts(new Date());
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

// The date n days after iso.
export function addDays(iso, n) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// Whole days from a to b (both "YYYY-MM-DD").
export function daysBetween(a, b) {
  const toDays = (iso) => { const [y, m, d] = iso.split("-").map(Number); return Date.UTC(y, m - 1, d) / 86400000; };
  return toDays(b) - toDays(a);
}

// The firm zone's offset from UTC in minutes at an instant.
function offsetMinutes(date) {
  const p = zonedParts(date);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

// A datetime-local value ("YYYY-MM-DDTHH:MM", firm wall time) -> RFC 3339 with the firm's offset.
export function localInputToInstant(value) {
  const [date, time] = value.split("T");
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let offset = offsetMinutes(new Date(wall));
  offset = offsetMinutes(new Date(wall - offset * 60000));
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${date}T${pad(hh)}:${pad(mm)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// An RFC 3339 instant -> a datetime-local value in the firm's zone.
export function instantToLocalInput(ts) {
  if (!ts) return "";
  const p = zonedParts(new Date(ts));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

// Cents as money in the firm's locale.
export function formatCents(cents) {
  if (cents === null || cents === undefined) return "";
  return new Intl.NumberFormat(firm.locale, { style: "currency", currency: "USD" }).format(cents / 100);
}

// A count in the firm's locale.
export function formatNumber(n) {
  return new Intl.NumberFormat(firm.locale).format(n);
}
