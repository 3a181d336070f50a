/* deadline_compute: the deadline rules as a pure function. From one parole request, its
 * events and the deadline_rules rows, all already loaded, it computes each deadline of the
 * request as a full record: the request, kind, rule (id, code, version, citation), the due date
 * (or appointment time, and for a window its opening date), the source event, whether it is met
 * and its status against the given today. No database, no clock, no HTTP: the store
 * (store/deadline_engine.c) loads the inputs and calls it; unit tests call it with literals.
 * Domain layer: depends on dates and jansson only. See docs/deadlines-contract.md. */
#ifndef PAROLETRACK_DEADLINE_COMPUTE_H
#define PAROLETRACK_DEADLINE_COMPUTE_H

#include <jansson.h>

/* What one request's deadlines are computed from. Every pointer is borrowed for the call. The
 * event arrays hold row objects as store/sql.c selects them (SQL_DEADLINE_*), in its order. */
struct deadline_compute_input {
    /* {id, client_id, program, location, passport_expires_on, and the client's
     * track_asylum_deadline, address_since, last_arrived_on, i589_filed_on, ar11_filed_on and
     * client_filings: every filing of the client's requests as {form, filed_on, decided_on,
     * outcome},
     * what a program's termination exception looks for (missing: the request's own filings)} */
    const json_t *request;
    const json_t *rfes; /* {id, issued_on, kind, response_due_on, mailed, responded_on} */
    /* {id, kind, scheduled_at, scheduled_at_utc, outcome, local_date, recorded_on (the firm-local
     * date it was recorded; may be missing)} */
    const json_t *interviews;
    const json_t *decisions;   /* {id, decided_on, outcome, valid_until, mailed}, by decided_on */
    const json_t *expirations; /* {id, kind, issued_on, expires_on, ead_category} */
    /* {id, form, kind, filed_on, receipt_number, decided_on, outcome} */
    const json_t *filings;
    const json_t *fee_notices; /* {id, kind, issued_on, due_on, paid_on}, by id; may be NULL */
    /* the filings of the requests that renew this one ({id, form, kind, filed_on}, by
     * filed_on); may be NULL */
    const json_t *renewal_filings;
    const json_t *rules; /* every deadline_rules row: enabled a boolean, version an integer */
    /* Every programs row by code ({code, terminated_on, citation_source, citation_date,
     * exceptions: an array}); NULL or a code it lacks: the request's program terminates nothing */
    const json_t *programs;
    const char *today; /* YYYY-MM-DD in the firm's time zone */
    const char *now;   /* the current instant, RFC 3339 UTC (past appointments) */
};

/* The version of the computation's rules in code. Stored deadlines (the ledger) computed by
 * another version are rebuilt at start: raise it with any change to this module that changes
 * what a request's deadlines are. */
#define DEADLINE_COMPUTE_VERSION 10

/* Every deadline of the request in `in`, in the order the rules produce them (unsorted), as a
 * new array the caller owns. Each is a full record:
 *   {id, kind, due_on, due_at, opens_on, status, parole_request_id, client_id,
 *    source: {resource, id}, rule: {id, code, citation_source, citation_date, version},
 *    title, met, due_at_utc, program_code, terminates, moot_decision_id, basis, premature}
 * where due_on is the due date (a window's closing date), due_at the appointment time or null
 * (due_at_utc the same instant in UTC, compared with `now`),
 * opens_on a window's opening date or null, met a boolean (the thing is done) and status
 * met/moot/upcoming/due_today/overdue against in->today (met is true for met and moot: nothing is
 * due any more). program_code names the program whose
 * notice set the date (its termination, or the decision ending a parole its exception kept),
 * else null; terminates is true on the parole end that is the termination itself (the request's
 * stage is `terminated` from that date). A request with no matching rules yields an empty
 * array. moot_decision_id is the decision that made a deadline moot (status moot: an RFE or NOID
 * response not given, an appointment not held, a travel-by after a denial), else null; every
 * other deadline outlives a decision. basis says where a response date comes from ("notice" or
 * "computed_maximum"; null for other kinds); premature is true on a re-parole deadline whose
 * only filing came before its window opened (it stays open).
 *
 * A program's termination (programs row, terminated_on T) bears on an approved request whose
 * parole had not ended before T: with no exception that applies, parole ends on T (its parole end
 * and every work permit end capped at it, no re-parole window); with an exception (a filing of
 * the named form made on or before its date) parole runs to its own end, or to the exception
 * filing's decision when that comes first. A rejected filing qualifies for nothing.
 *
 * An approved I-485 of the client (client_filings) makes the client a permanent resident: the
 * request's parole end, work permit ends, re-parole filing, travel-by and the asylum one-year
 * deadline are met, their title naming the approval.
 *
 * A work permit's end follows the rule of its category (ead_category; none recorded is taken
 * as EAD_CATEGORY_UNRECORDED) in force on its issue date: the card's date, capped at the parole
 * end when the rule says so (cap_at_parole_end) and at `days` from the issue date when the rule
 * has days and the issue date is known. */
json_t *deadline_compute_request(const struct deadline_compute_input *in);

/* Sort deadlines (records or their API view) by due_on, then due_at, then id, and drop repeated
 * ids (a client's own passport date counted by several requests shows once). In place. */
void deadline_compute_sort(json_t *deadlines);

#endif
