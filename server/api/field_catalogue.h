/* field_catalogue: the field catalogue the dashboard builds its forms from, computed from the
 * resource field tables on every read so a form never drifts from the validation. */
#ifndef PAROLETRACK_FIELD_CATALOGUE_H
#define PAROLETRACK_FIELD_CATALOGUE_H

#include "call.h"

/* GET /api/v1/fields: for every writable resource, its fields as the server checks them (name,
 * type, required, limits, choices, default), so a form never drifts from the validation; and
 * the shared lists: `stages` (in order, with `closed`), `roles` (with `needs_totp`,
 * `may_write`, `assignable_attorney`, `assignable_paralegal`) and `deadline_kinds`. */
void field_catalogue_get(struct call *call, struct call_reply *reply);

#endif
