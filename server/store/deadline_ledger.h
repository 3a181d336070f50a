/* deadline_ledger: the stored output of the deadline engine (table `deadlines`, migration 0013).
 * The write path (write.c) refreshes the rows of the requests a change moves, in the change's
 * own transaction; `paroletrack deadlines verify` recomputes everything and compares,
 * `deadlines rebuild` rewrites the table. The readers (/deadlines, /stats, the unguarded list,
 * remind, the calendar feed) select rows through indexes: the status (met, upcoming, due today,
 * overdue) is derived at read time from the stored dates and today, so the rows never go stale
 * overnight. A store module: it depends on db, context, the engine
 * (deadline_engine.h) and the computation's record shape (deadline_compute.h). */
#ifndef PAROLETRACK_DEADLINE_LEDGER_H
#define PAROLETRACK_DEADLINE_LEDGER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "text_buffer.h"

/* Where a deadline's handled reason is sealed (table deadline_triage, written by
 * deadline_triage.c, opened by the readers here): the names the seal is bound to. */
#define DEADLINE_TRIAGE_TABLE  "deadline_triage"
#define DEADLINE_TRIAGE_REASON "handled_reason"

/* Recompute and store the deadlines of parole request `request_id` (open or closed; none when
 * the request no longer exists), inside the caller's write transaction. Returns 0 or -1. */
int deadline_ledger_refresh_request(struct db *db, int64_t request_id, const struct op_context *ctx,
                                    struct problem *p);

/* The same for every request of client `client_id` (the client's passport date, arrivals and
 * address feed them), and for the client's own deadlines while it has no request (stored with
 * no request; removed once it has one, or is gone). */
int deadline_ledger_refresh_client(struct db *db, int64_t client_id, const struct op_context *ctx,
                                   struct problem *p);

/* The same for every request in program `program` (a rule limited to that program changed);
 * NULL: every request (a rule for all programs). */
int deadline_ledger_refresh_program(struct db *db, const char *program,
                                    const struct op_context *ctx, struct problem *p);

/* Rewrite the whole ledger inside the caller's write transaction (a rebuild). */
int deadline_ledger_refresh_all(struct db *db, const struct op_context *ctx, struct problem *p);

/* Rewrite the whole ledger in one transaction of its own, and remember what it was computed
 * with (the firm's time zone, the schema's migration, the computation's version). Returns the
 * number of deadlines stored, or -1 with *p set. */
int64_t deadline_ledger_rebuild(struct db *db, const struct op_context *ctx, struct problem *p);

/* Rebuild the ledger when it was computed with anything else than now: another firm time zone
 * (an appointment's date is firm-local), an older schema (a migration may change rules), an
 * older computation, or never (a database from before the ledger). Returns 1 when it rebuilt,
 * 0 when the ledger was current, -1 with *p set. */
int deadline_ledger_ensure(struct db *db, const struct op_context *ctx, struct problem *p);

/* Copy the firm time zone the ledger was last built in into zone ("" when it never was).
 * Returns 0 or -1 with *p set. */
int deadline_ledger_zone(struct db *db, char *zone, size_t zone_size, struct problem *p);

/* Recompute every request's deadlines (and those of the clients with no request) in a read
 * transaction and compare them with the stored rows, printing one line per difference to out. Sets
 * *differences and returns 0, or -1 with *p set. */
int deadline_ledger_verify(struct db *db, const struct op_context *ctx, FILE *out,
                           int64_t *differences, struct problem *p);

/* A read of the ledger. deadline_id: that one deadline (its API id; under the lowest request
 * that holds it); request_id: that request's deadlines (open or closed, no dedupe);
 * client_id: every deadline of that client (under its requests, and its own while it has no
 * request); else the firm's (a client's own once, and those of clients with no request), or
 * (assigned_to) those of the requests assigned to that user. from/to
 * bound the due date, kind and status (upcoming, due_today, overdue, met) filter exactly; each
 * may be NULL. triage (open, handled, snoozed; deadline_triage.h) and assignee (the deadline's
 * own assignee, 0: any) filter what people decided about it.
 * unmet: only what is not met (with no status; firm-wide or one user's). after:
 * only what comes after that place in the order (a page's last item, deadline_ledger_cursor);
 * NULL: from the start. limit -1: all. */
struct deadline_place {
    char due_on[16], due_at[40], id[96];
    int64_t request_id;
};
struct deadline_query {
    const char *deadline_id;
    int64_t request_id;
    int64_t client_id;
    int64_t assigned_to;
    const char *from, *to, *kind, *status, *triage;
    int64_t assignee;
    int unmet;
    const struct deadline_place *after;
    int64_t limit;
};

/* The cursor of `place` (a page's last deadline, deadline_ledger_place) in the order: an
 * opaque text of hex digits, written into out. */
void deadline_ledger_cursor(const struct deadline_place *place, char *out, size_t out_size);

/* Read a cursor back into *place. Returns 0, or -1 when it is not one this server wrote. */
int deadline_ledger_parse_cursor(const char *cursor, struct deadline_place *place);

/* One deadline as deadline_ledger_each hands it over: texts borrowed from the statement, valid
 * only during the call (due_at, opens_on, citation_source and citation_date may be NULL). */
struct deadline_row {
    const char *id, *kind, *status, *title, *due_on, *due_at, *opens_on;
    const char *source_resource, *rule_code, *citation_source, *citation_date;
    const char *program_code;  /* the program whose notice set the date (cited), else NULL */
    const char *basis;         /* a response date's basis (notice, computed_maximum), else NULL */
    int64_t moot_decision_id;  /* the decision that made it moot (status moot), else 0 */
    int premature;             /* a re-parole filed before its window opened met nothing */
    int64_t parole_request_id; /* 0: a client's own, the client having no request */
    int64_t client_id, source_id, rule_id;
    /* what people decided (deadline_triage): the state (open, handled, snoozed), the reason it
     * was marked handled (opened from its seal; NULL: not handled), by whom and when, the day a
     * snooze ends, the deadline's own assignee (0: none), the version an If-Match names */
    const char *triage, *handled_reason, *handled_at, *snoozed_until;
    int64_t handled_by, assignee_id, version;
};

/* What deadline_ledger_each calls for every row. */
typedef void (*deadline_ledger_row_fn)(const struct deadline_row *row, void *arg);

/* The deadlines the query selects, in date order (due_on, due_at, id; a client's own passport
 * date once, under the lowest open request), their status derived against ctx's today and
 * now, handed to fn one row at a time: readers write each row out and forget it (a page of
 * /deadlines, the calendar feed), so no tree of records is built and memory does not grow
 * with the rows. Runs inside the caller's read transaction. Returns 0, or -1 with *p set. */
int deadline_ledger_each(struct db *db, const struct deadline_query *q,
                         const struct op_context *ctx, deadline_ledger_row_fn fn, void *arg,
                         struct problem *p);

/* Append `row` to out as the API shows a deadline (JSON text: id, kind, due_on, due_at,
 * opens_on, status, parole_request_id (null for a client with no request), client_id,
 * source {resource, id}, rule {id, code,
 * citation_source, citation_date}, title, program_code, moot_decision_id, basis, premature,
 * triage, handled_reason, handled_by, handled_at, snoozed_until, assignee_id, version). */
void deadline_ledger_row_json(const struct deadline_row *row, struct text_buffer *out);

/* The place of `row` in the order, copied into *place (for deadline_ledger_cursor). */
void deadline_ledger_place(const struct deadline_row *row, struct deadline_place *place);

/* The next instant after now (RFC 3339 UTC) at which some request's stage turns by itself
 * (its interview passing) into out, or "" when none is ahead: the stage counts computed now
 * hold until then (and the day's end). Runs inside the caller's read transaction. Returns 0,
 * or -1 with *p set. */
int deadline_ledger_next_stage_flip(struct db *db, const char *now, char *out, size_t out_size,
                                    struct problem *p);

/* The number of open requests whose parole and whose work permit end in each month, from the
 * month of `today` (YYYY-MM-DD) for `months` months: each request's latest end of each kind that
 * is not met (a later expiry replaced it). An array of {"month", "parole_end", "ead_end"},
 * new, the caller's; NULL with *p set. */
json_t *deadline_ledger_ends_by_month(struct db *db, const char *today, int months,
                                      struct problem *p);

#endif
