/* reminders: which deadline reminders are due and what has already gone out, as a store
 * operation the nightly job (cli/remind.c), a future route and the tests can call. For every open
 * deadline that has crossed one of its rule's lead times (or is overdue) it selects the most
 * urgent reminder, and per channel (standard output, e-mail per recipient, webhook) keeps those
 * the ledger (reminder_ledger) does not have as sent; it builds the digest text and webhook
 * bodies, and records each delivery. It sends nothing and prints nothing: the caller does,
 * through notify. Reminders carry the case reference, kind, due date and rule, never a name,
 * A-number, passport number or narrative.
 * Store layer: depends on db, context, dates, crypto, text_buffer and problem. */
#ifndef PAROLETRACK_REMINDERS_H
#define PAROLETRACK_REMINDERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* The lead time of a reminder for a deadline past its date. */
#define REMINDERS_OVERDUE (-1)
/* The size of a webhook message id ("msg_" and 32 hex digits, NUL-terminated). */
#define REMINDERS_MESSAGE_ID_LEN 40

/* One reminder to deliver: the deadline as the API shows it (texts borrowed from the run's
 * arena; due_at, citation_source and citation_date may be NULL). */
struct reminder {
    const char *deadline_id, *kind, *title, *status, *due_on, *due_at;
    const char *rule_code, *citation_source, *citation_date;
    int64_t parole_request_id; /* 0: a client's own deadline, the client having no request */
    int64_t client_id, rule_id;
    int lead;          /* the lead time crossed (days), or REMINDERS_OVERDUE */
    int64_t days_left; /* from today to the due date; negative when late */
    /* the assigned staff's addresses (enabled accounts), only when e-mail was asked for;
     * NULL when none */
    const char *attorney_email, *paralegal_email;
};

/* Reminders that go out together (one digest, one recipient). */
struct reminder_batch {
    char *recipient;        /* e-mail batches: the address (owned); NULL otherwise */
    struct reminder *items; /* owned array */
    size_t count, capacity;
};

/* What reminders_collect prepares. */
struct reminders_options {
    int dry_run;            /* nothing will be sent: the standard-output digest shows every one */
    int email;              /* prepare one e-mail batch per recipient */
    const char *firm_email; /* e-mail recipient when a request has no one assigned, or NULL */
    int webhook;            /* prepare the webhook batch */
};

/* The reminders of one run. Owns everything it points to; free with reminders_free. */
struct reminders {
    struct reminder_text_block *texts; /* the arena the reminders' texts point into */
    int failed;                        /* the arena ran out of memory */
    /* every reminder due that a channel still needs (all of them in a dry run or with
     * e-mail), by deadline date */
    struct reminder_batch due;
    struct reminder_batch printed; /* standard output: those not printed before */
    struct reminder_batch *emails; /* one batch per recipient with something not yet sent */
    size_t email_count;
    struct reminder_batch webhooks; /* those not posted yet */
};

/* Select the reminders due on ctx->today from the stored deadlines and, per channel that
 * `options` asks for, those not yet delivered, into *out (which the caller frees with
 * reminders_free, even on error). One query selects every due reminder with its lead time, the
 * standard-output and webhook ledger's verdict and the assigned staff's addresses; e-mail looks
 * the ledger up per recipient. Reads in one read transaction of its own. Returns -1 with *p set
 * when the deadlines cannot be read; a failed e-mail ledger look-up leaves *p set, counts as not
 * sent and returns 0 (the run goes on, and the caller reports *p). */
int reminders_collect(struct db *db, const struct op_context *ctx,
                      const struct reminders_options *options, struct reminders *out,
                      struct problem *p);

/* Free what *r owns and empty it. */
void reminders_free(struct reminders *r);

/* How urgent a reminder reads: "OVERDUE", "DUE TODAY", "THIS WEEK" or "COMING UP" (static). */
const char *reminders_urgency(const struct reminder *r);

/* The digest text of a batch: its reminders grouped by urgency, each with its case, title, due
 * date, rule and citation and a link under base_url (NULL: http://127.0.0.1:8080). A new string
 * the caller frees; NULL when out of memory. */
char *reminders_digest_text(const struct reminder_batch *batch, const char *base_url);

/* The webhook body of one reminder (type deadline.reminder, no personal data) as of the date
 * as_of. A new string the caller frees. */
char *reminders_webhook_body(const struct reminder *r, const char *as_of);

/* The webhook message id of a reminder into out: the same reminder always has the same id, so a
 * receiver can drop a redelivery. */
void reminders_message_id(const struct reminder *r, char out[REMINDERS_MESSAGE_ID_LEN]);

/* Record the delivery of every reminder of batch on channel ("stdout", "email", "webhook") to
 * recipient in the ledger, as sent, or as failed with error when error is not NULL, at now; in
 * one write transaction of its own (all or none), right after the delivery happened (one digest
 * or one e-mail: a single commit, not one per line). Returns 0, or -1 with *p set. */
int reminders_record_deliveries(struct db *db, const struct reminder_batch *batch,
                                const char *channel, const char *recipient, const char *error,
                                const char *now, struct problem *p);

#endif
