/* csv_export: a resource list as CSV, for spreadsheets (issue 13). `?format=csv` or an Accept
 * header naming text/csv turns a list into the whole filtered list (every page) as RFC 4180
 * CSV, UTF-8 with a byte order mark, formula cells neutralised (base/csv.h), one column per
 * member of the list's items (identifiers masked and narratives left out as in the JSON list;
 * `include=notes` adds them, audited). The export itself is audited (`export`: the filters'
 * names and the row count) before the answer goes out. A list whose reads only read is
 * streamed: its rows are counted in a read snapshot of a connection of its own, the count
 * audited, and the pages sent one by one from that snapshot as the client reads them
 * (call_stream); one whose pages are audited as they are read (include=notes, an identifier
 * look-up) is built whole on the call's connection. Handler layer. */
#ifndef PAROLETRACK_CSV_EXPORT_H
#define PAROLETRACK_CSV_EXPORT_H

#include "call.h"

/* Whether the list call asks for CSV. Returns 1 (CSV), 0 (JSON), or -1 with a 400 naming
 * `format` in call->p (a format other than csv or json). */
int csv_export_wanted(struct call *call);

/* Reply with the whole list of call->resource under parent_id as CSV. A failure is left in
 * call->p. */
void csv_export_list(struct call *call, int64_t parent_id, struct call_reply *reply);

/* The call's query for a CSV export into q (at most room): without `format`, and with `limit`
 * and `cursor` refused (an export is the whole list); the filters' names appended to filters.
 * Returns the number kept, or -1 with a 400 naming each refused parameter in call->p. */
int csv_export_query(struct call *call, struct query_param *q, size_t room, json_t *filters);

/* Name the reply's download "<stem>-<today>.csv" (Content-Disposition: attachment). */
void csv_export_disposition(struct call_reply *reply, const char *stem, const char *today);

/* The call's query without `format` into kept (at most room), for the JSON list. Returns the
 * number kept. */
size_t csv_export_strip_format(const struct call_request *request, struct query_param *kept,
                               size_t room);

#endif
