// names: client names by id for pages that show cases (deadlines and requests carry only ids).
// Read through the client list filtered by id (GET /api/v1/clients?id=1,2,...), which never
// returns identifiers in full and is not an audited read, and kept for the session.
import { api } from "./api.js";

const cache = new Map();
const CHUNK = 200; // the most ids the list filter takes

// A Map of client id -> "Family, Given" for the given ids (any iterable; duplicates and
// nullish values ignored). An id the server could not answer for is absent from the map.
export async function clientNames(ids) {
  const wanted = [...new Set([...ids].filter((id) => Number.isInteger(id) && id > 0))];
  const missing = wanted.filter((id) => !cache.has(id));
  const chunks = [];
  for (let i = 0; i < missing.length; i += CHUNK) chunks.push(missing.slice(i, i + CHUNK));
  const answers = await Promise.all(chunks.map((chunk) => api("GET", `/api/v1/clients?limit=${CHUNK}&id=${chunk.join(",")}`)));
  for (const r of answers) if (r.ok) for (const c of r.data.items) cache.set(c.id, displayName(c)); // a failure is not kept
  return new Map(wanted.filter((id) => cache.has(id)).map((id) => [id, cache.get(id)]));
}

// Forget the names (after a client is created, renamed or deleted, and at sign-in).
export function forgetClientNames() { cache.clear(); }

// "Family, Given" for a client record.
export function displayName(client) {
  return `${client.family_name}, ${client.given_name}`;
}
