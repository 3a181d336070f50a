/* import: `paroletrack import --db FILE --clients clients.csv [--requests requests.csv]
 * [--dry-run]`, the spreadsheets firms keep today brought in (issue 13). A header row names the
 * fields (the API's names; clients may add `ref`, a file-local reference a request names as
 * `client_ref`, else a request names an existing `client_id`). Every row goes through the one
 * write path with the API's checks and audit events, inside one transaction: every bad row is
 * reported by file, line and field with the API's messages, and then nothing is stored; a dry
 * run checks everything and stores nothing. A progress count on a terminal. */
#ifndef PAROLETRACK_IMPORT_H
#define PAROLETRACK_IMPORT_H

#include "cli.h"

/* Run the import. Returns the exit code: 0 imported (or a dry run found no error), 1 a row or
 * the files were refused (nothing stored), 2 bad usage. */
int cli_import(const struct cli_options *o);

#endif
