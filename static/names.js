// names: client names by id for pages that show cases (deadlines carry only ids). Taken from the
// client list, which never returns identifiers in full and is not an audited read; kept for a
// minute so moving between pages does not refetch.
import { listAll } from "./api.js";

let cache = null;
let fetchedAt = 0;

// A Map of client id -> "Family, Given" (empty when the list could not be read).
export async function clientNames() {
  if (cache && Date.now() - fetchedAt < 60000) return cache;
  const r = await listAll("/api/v1/clients");
  const names = new Map();
  if (!r.ok) return names; // not kept: the next page asks again
  for (const c of r.data.items) names.set(c.id, displayName(c));
  cache = names;
  fetchedAt = Date.now();
  return cache;
}

// Forget the cache (after a client is created or renamed).
export function forgetClientNames() { cache = null; }

// "Family, Given" for a client record.
export function displayName(client) {
  return `${client.family_name}, ${client.given_name}`;
}
