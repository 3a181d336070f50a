/* deadline_rules: the handlers of the rules API (/api/v1/deadline-rules). The rules are read
 * by the engine (deadline_engine.h); these list, show and change them. */
#ifndef PAROLETRACK_DEADLINE_RULES_H
#define PAROLETRACK_DEADLINE_RULES_H

#include "call.h"

/* GET /api/v1/deadline-rules: every rule, paged by id. */
void deadline_rules_list(struct call *call, struct call_reply *reply);

/* GET /api/v1/deadline-rules/{id}: one rule, or 404. */
void deadline_rules_get(struct call *call, struct call_reply *reply);

/* PATCH /api/v1/deadline-rules/{id}: a merge patch of the fields an admin may change, checked
 * against If-Match, audited with the fields that changed. */
void deadline_rules_patch(struct call *call, struct call_reply *reply);

#endif
