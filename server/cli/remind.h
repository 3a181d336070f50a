/* remind: `paroletrack remind`, the nightly reminder job. For every open deadline that has
 * crossed one of its rule's lead times (or is overdue) it sends the most urgent reminder not sent
 * yet, exactly once per deadline, lead time, channel and recipient (reminder_ledger), on the
 * channels configured: a digest on standard output (always), one e-mail digest per recipient
 * over SMTP, and a signed webhook per reminder. Reminders carry the case reference, kind, due
 * date and rule, never a name, A-number, passport number or narrative. */
#ifndef PAROLETRACK_REMIND_H
#define PAROLETRACK_REMIND_H

#include "db.h"

struct remind_config {
    const char *as_of;    /* "YYYY-MM-DD"; NULL: today in the firm's zone */
    int dry_run;          /* print what would go out; send and record nothing */
    const char *smtp_url; /* NULL: no e-mail */
    const char *smtp_from;
    int smtp_insecure;          /* allow plain smtp:// without TLS (--smtp-insecure) */
    const char *smtp_ca_file;   /* PEM bundle for the SMTP server's certificate, or NULL */
    const char *firm_email;     /* recipient when a request has no one assigned */
    const char *webhook_url;    /* NULL: no webhook */
    const char *webhook_secret; /* "whsec_<base64>" */
    const char *base_url;       /* the dashboard's address (default http://127.0.0.1:8080) */
};

/* Run the job on db. Returns the process exit code: 0 when everything due went out, 1 when a
 * delivery failed (it is retried on the next run), 2 on a bad configuration. */
int remind_run(struct db *db, const struct remind_config *config);

#endif
