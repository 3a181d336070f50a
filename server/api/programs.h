/* programs: the handlers of the programs API (/api/v1/programs): every signed-in caller reads
 * the programs (the request form's choices, and what a termination date comes from); admins
 * add and change them. The rows are read and changed by program_store. */
#ifndef PAROLETRACK_PROGRAMS_H
#define PAROLETRACK_PROGRAMS_H

#include "call.h"

/* GET /api/v1/programs: every program, paged by id. */
void programs_list(struct call *call, struct call_reply *reply);

/* GET /api/v1/programs/{id}: one program, or 404. */
void programs_get(struct call *call, struct call_reply *reply);

/* POST /api/v1/programs: a new program (201 with its Location), audited. */
void programs_post(struct call *call, struct call_reply *reply);

/* PATCH /api/v1/programs/{id}: a merge patch of everything but the code, checked against
 * If-Match, audited with the fields that changed; the program's requests' deadlines follow. */
void programs_patch(struct call *call, struct call_reply *reply);

#endif
