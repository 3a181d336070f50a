/* records: the specs of every record kind the API lists and edits, one file each (clients.c,
 * parole_requests.c, filings.c, rfes.c, interviews.c, decisions.c, expirations.c). */
#ifndef PAROLETRACK_RECORDS_H
#define PAROLETRACK_RECORDS_H

#include "resource.h"

extern const struct resource_spec clients_resource;
extern const struct resource_spec parole_requests_resource;
extern const struct resource_spec filings_resource;
extern const struct resource_spec rfes_resource;
extern const struct resource_spec interviews_resource;
extern const struct resource_spec decisions_resource;
extern const struct resource_spec expirations_resource;
extern const struct resource_spec fee_notices_resource;
extern const struct resource_spec entries_resource;

/* Read-only members every stored record carries. */
#define RECORD_READ_ONLY "id", "created_at", "updated_at", "version"

/* Add a field error naming `later_field` when the date `later` is before `earlier` (both
 * "YYYY-MM-DD" or JSON null; nulls never conflict). */
void records_check_order(const json_t *record, const char *earlier_field, const char *later_field,
                         const char *message, struct problem *p);

#endif
