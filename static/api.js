// api: the one place the dashboard talks to the server. Sends the CSRF token on writes, parses
// problem+json, and hands a 401 (session expired) to whoever registered onSignedOut so the
// page can ask for a new sign-in without losing what is on screen.

let csrfToken = null;
let sessionUserId = null;
let signedOutHandler = null;

// The signed-in session's CSRF token and user (null when signed out).
export function setCsrf(token, userId = null) { csrfToken = token; sessionUserId = userId; }

// Register the function called when the server answers 401 to a signed-in call.
export function onSignedOut(handler) { signedOutHandler = handler; }

// Perform a request. Returns {ok, status, data, etag, problem}; never throws (a network failure
// is status 0 with a problem saying so). options: {body, ifMatch}.
export async function api(method, path, options = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (csrfToken && method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  if (options.ifMatch !== undefined) headers["If-Match"] = `"${options.ifMatch}"`;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    return { ok: false, status: 0, data: null, problem: { title: "No connection", detail: "The server could not be reached. Check the connection and try again.", errors: [] } };
  }
  let data = null;
  if (response.status !== 204) data = await response.json().catch(() => null);
  // Another tab signed in again: this tab's CSRF token is stale. Take the session's current one
  // (same cookie) and try once more.
  if (response.status === 403 && method !== "GET" && !options.retried && data && String(data.type).endsWith(":csrf")) {
    const current = await api("GET", "/api/v1/session");
    if (current.ok && (!sessionUserId || current.data.user.id === sessionUserId)) {
      csrfToken = current.data.csrf_token;
      return api(method, path, { ...options, retried: true });
    }
    if (!current.ok && signedOutHandler) signedOutHandler();
  }
  const result = { ok: response.ok, status: response.status, data, etag: response.headers.get("ETag"), problem: null };
  if (!response.ok) {
    result.problem = data && typeof data === "object" ? data : { title: `Error ${response.status}`, detail: "The server gave an unexpected answer." };
    if (!Array.isArray(result.problem.errors)) result.problem.errors = [];
    if (response.status === 401 && signedOutHandler && !path.startsWith("/api/v1/session")) signedOutHandler();
  }
  return result;
}

// Every item of a list endpoint, following next_cursor (at most maxPages pages of 200);
// data.truncated says when the cap cut the list short.
export async function listAll(path, maxPages = 25) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const url = `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const r = await api("GET", url);
    if (!r.ok) return r;
    items.push(...r.data.items);
    cursor = r.data.next_cursor;
    if (!cursor) break;
  }
  return { ok: true, status: 200, data: { items, truncated: Boolean(cursor) } };
}

// A short sentence for a failed call (the problem's detail, else its title).
export function problemText(result) {
  const p = result.problem || {};
  const id = p.status >= 500 ? " (quote the request id from the server log)" : "";
  return `${p.detail || p.title || "Something went wrong."}${id}`;
}
