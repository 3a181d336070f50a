/* uscis_status_routes: the handlers of a parole request's USCIS statuses
 * (/api/v1/parole-requests/{id}/uscis-statuses): what `paroletrack uscis-sync` saw, newest
 * first, and the confirmation or dismissal of the event a status proposes. The records are
 * uscis_statuses'. */
#ifndef PAROLETRACK_USCIS_STATUS_ROUTES_H
#define PAROLETRACK_USCIS_STATUS_ROUTES_H

#include "call.h"

/* GET .../uscis-statuses: a page, newest first; ?proposal_state=open|confirmed|dismissed. */
void uscis_status_routes_list(struct call *call, struct call_reply *reply);

/* GET .../uscis-statuses/{child_id}: one status, or 404. */
void uscis_status_routes_get(struct call *call, struct call_reply *reply);

/* PATCH .../uscis-statuses/{child_id}: {proposal_state}, If-Match, audited. */
void uscis_status_routes_patch(struct call *call, struct call_reply *reply);

#endif
