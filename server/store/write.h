/* write: the one write path. Every change to stored data (a record of the resource engine, a
 * user, an API key, a deadline rule, the settings, a user's sessions or calendar feed) runs
 * through write_run(), which in one write transaction:
 *
 *   1. reads the record as it is (the kind's `read`; 404 when there is none),
 *   2. checks the client's If-Match against its `version` (412, nothing changed),
 *   3. lets the kind check the input and write the change (`write`; 422/409, nothing changed),
 *   4. runs the kind's special rules on the written state (`after_write`: keep one active
 *      admin, end the sessions of a disabled user, ...) and recomputes the stored deadlines
 *      the change moves (the kind's `ledger`: a request, a client's requests, a program's),
 *   5. reads the record again, so the reply and the audit event show what was stored,
 *   6. appends the audit event (the kind's `changes`, or a diff of its `audited` fields),
 *   7. appends the change's webhook events to the outbox (webhook_outbox.h: a record's
 *      created/updated/deleted, and stage.changed for its request and for every other request
 *      of the change's ledger scope whose stage moved, noted before step 3), when some
 *      endpoint is enabled,
 *   8. commits; any failure on the way rolls everything back. Changes of several threads that
 *      meet share one transaction and one commit, each in its own savepoint (write_run).
 *
 * Whatever must follow every change (the deadline ledger, the webhook outbox) hooks in
 * write_run, once. A store module: it depends on db, audit, the deadline ledger, the webhook
 * outbox, group_commit and the operation context; the kinds (resource.c, users.c, ...) depend
 * on it. */
#ifndef PAROLETRACK_WRITE_H
#define PAROLETRACK_WRITE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* An If-Match precondition (RFC 9110, strong comparison): absent, "*", or a list of the
 * versions the client accepts (weak or foreign entity tags never match and are not listed). */
#define IF_MATCH_MAX_TAGS 16
struct if_match {
    int present;
    int any;
    size_t count;
    int64_t versions[IF_MATCH_MAX_TAGS];
};

/* What the change does to its record. */
enum write_mode {
    WRITE_CREATE, /* no record before; `write` sets the new id */
    WRITE_UPDATE, /* a record before and after */
    WRITE_DELETE, /* a record before, none after */
};

/* Which stored deadlines a kind's change moves (the deadline ledger, deadline_ledger.h), so
 * write_run recomputes them in the same transaction. */
enum write_ledger {
    WRITE_LEDGER_NONE,    /* users, keys, settings: no deadline depends on them */
    WRITE_LEDGER_REQUEST, /* the request w->request_id (a request or one of its events) */
    WRITE_LEDGER_CLIENT,  /* every request of the client w->client_id, else w->id (its passport
                           * date, its entries) */
    WRITE_LEDGER_REQUEST_CLIENT, /* every request of the client of request w->request_id (a
                                  * filing: an I-589 or AR-11 meets the client's deadlines; a
                                  * request: one renewing another moves its deadline); a deleted
                                  * request: its own rows */
    WRITE_LEDGER_PROGRAM,        /* every request of w->program (a rule: NULL, every request) */
};

struct write_call;

/* What one kind of stored record supplies to the write path. Every hook runs inside the write
 * transaction and reports a failure in *p (returning -1 or NULL); write_run then rolls back. */
struct write_kind {
    const char *entity; /* the audit trail's entity ("users", "deadline_rules", "client", ...) */
    const char *noun;   /* the record in messages ("user", "rule", "record") */
    /* Read the record w->id as the API shows it. Returns a new object, or NULL with 404 (or
     * another problem) in *p. NULL: the kind has no record to read (no version check, no
     * re-read; write_run returns what `write` left in w->result). */
    json_t *(*read)(struct db *db, struct write_call *w, struct problem *p);
    /* Check w->input against `before` (NULL on a create) and write the change; on a create it
     * sets w->id (and w->request_id when the event joins a request's history). Field errors
     * end in one 422 (problem_finish_checks). Returns 0 or -1. */
    int (*write)(struct db *db, struct write_call *w, const json_t *before, struct problem *p);
    /* The kind's rules on the written state, before the re-read (may be NULL). Returns 0 or -1
     * (e.g. 409 for a change that leaves no active admin). */
    int (*after_write)(struct db *db, struct write_call *w, const json_t *before,
                       struct problem *p);
    /* The audit event's changes between before and after (either NULL on a create or a
     * delete; both NULL for a kind without `read`). Returns a new object or NULL for none.
     * May be NULL: then the `audited` fields are compared, with `redacted` ones hidden. */
    json_t *(*changes)(const struct write_call *w, const json_t *before, const json_t *after);
    const char *const *audited;  /* NULL-terminated; NULL with no `changes`: no changes */
    const char *const *redacted; /* NULL-terminated, may be NULL */
    enum write_ledger ledger;    /* the deadlines the change moves */
    /* WRITE_LEDGER_PROGRAM: the member of the record naming the program whose requests it
     * moves ("code" of a program, "program" of a rule; a null value: every request). */
    const char *program_member;
};

/* One change, filled by the caller (the fields marked "out" by write_run and the hooks). */
struct write_call {
    const struct write_kind *kind;
    enum write_mode mode;
    const char *action;  /* the audit action ("create", "user_update", ...) */
    int64_t id;          /* the record (in; out on a create) */
    int64_t request_id;  /* the request whose history the event joins; 0: none */
    int64_t client_id;   /* the client whose deadlines a client's event moves (WRITE_LEDGER_CLIENT);
                          * 0: the record itself is the client (w->id) */
    const json_t *input; /* the body or merge patch, borrowed; may be NULL */
    const struct if_match *if_match; /* NULL: no precondition */
    const struct op_context *ctx;
    void *arg;           /* the kind's own state (its resource spec, a checked record, ...) */
    json_t *result;      /* out, for a kind without `read`: what write_run returns (it takes it) */
    const char *program; /* out, for WRITE_LEDGER_PROGRAM: borrowed until write_run returns */
};

/* Store a checked record of a kind whose rows hold no sealed value (a rule, a program, a fee
 * schedule row) from w->write: with `before` NULL, insert it under the next id of `next_id`
 * (setting w->id) with `insert`; else update row w->id at `before`'s version with `update`.
 * The statements bind the record's members, :id, :now and (update) :version. Returns 0 or -1
 * with *p set (a row changed meanwhile: 0 rows, which write_run reports as 412). */
int write_store_row(struct db *db, struct write_call *w, const json_t *before, const json_t *record,
                    enum sql_id next_id, enum sql_id insert, enum sql_id update, struct problem *p);

/* The most changes one commit takes; later ones wait for the next commit. */
#define WRITE_BATCH_MAX 32

/* Run one change as described above. Changes that arrive from other threads while a commit is
 * in flight share the next transaction and its one commit (one fsync): each runs in a savepoint
 * of its own, so a change that fails is rolled back alone, and each caller returns only once
 * the commit that holds its change succeeded (when that commit fails, every change of the batch
 * fails and none is stored). A lone change commits at once. db is the calling thread's
 * connection, outside any transaction (it runs the batch when this call leads); or inside a
 * write transaction the caller opened (db_begin_write), where the change runs in a savepoint of
 * its own and commits only with the caller's transaction (an import: all rows or none). Returns
 * the record
 * after the change (the record as it was for a delete; w->result, or JSON null, for a kind without
 * `read`) as a new reference the caller owns, or NULL with *p set and nothing changed. */
json_t *write_run(struct db *db, struct write_call *w, struct problem *p);

/* Run a merge patch `patch` of record `id` of `kind` (action "update", under if_match; `arg` the
 * kind's own state, may be NULL) through write_run: a body that is not a JSON object is a 400
 * and changes nothing. Returns what write_run returns. */
json_t *write_patch(struct db *db, const struct write_kind *kind, int64_t id, const json_t *patch,
                    const struct if_match *if_match, const struct op_context *ctx, void *arg,
                    struct problem *p);

/* Counters since the process started, for tests and benchmarks. */
struct write_batch_stats {
    int64_t commits; /* batch transactions that committed */
    int64_t changes; /* changes the batches ran, committed or not */
    int64_t queued;  /* changes waiting right now, the ones of the batch in flight included */
};

/* A consistent copy of the counters into *out. */
void write_batch_stats(struct write_batch_stats *out);

/* Refuse a stale If-Match: 412 naming the stored version when if_match (NULL: none) lists
 * other versions. Returns 0 when the change may go on, -1 with *p set. */
int write_check_version(const json_t *current, const struct if_match *if_match, const char *noun,
                        struct problem *p);

#endif
