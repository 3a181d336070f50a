/* cli: the command-line options every subcommand shares, and the administrative subcommands
 * (user, api-key, audit, rekey). Each is audited with actor "cli". */
#ifndef PAROLETRACK_CLI_H
#define PAROLETRACK_CLI_H

#include <stddef.h>
#include <stdio.h>

struct cli_options {
    const char *db;
    const char *listen;
    const char *timezone;
    const char *locale;       /* the firm's display locale (BCP 47) */
    const char *key_file;     /* NULL: <db>.key */
    const char *new_key_file; /* rekey */
    const char *anchor;       /* audit verify --anchor LINE */
    const char *email, *name, *role, *scopes;
    const char *as_of, *smtp_url, *smtp_from, *firm_email, *webhook_url, *webhook_secret,
        *base_url;                          /* remind */
    const char *trusted_proxy;              /* serve: "CIDR[,CIDR]" (parsed by main) */
    const char *clients_csv, *requests_csv; /* import */
    const char *to;                         /* migrate: the last migration; backup: DEST */
    const char *from;                       /* restore: the backup */
    int encrypt;                            /* backup: seal the copy with the key */
    const char *now;                        /* webhooks deliver: the clock, RFC 3339 */
    const char *uscis_base_url, *uscis_credentials, *uscis_daily_quota, *uscis_timeout,
        *uscis_max_wait; /* uscis-sync (numbers checked by the command) */
    int dry_run;
    size_t max_body;
    unsigned threads;
    unsigned per_ip_connections;
    unsigned max_connections; /* simultaneous connections in all */
    unsigned request_timeout; /* seconds from a request's headers to its whole body */
    int migrate_to;
    int secure_cookies;
    int smtp_insecure;        /* remind: allow plain smtp:// without TLS */
    const char *smtp_ca_file; /* remind: PEM bundle for the SMTP server */
    int generate_password;
    int help;
};

/* `paroletrack user add|disable|reset-password`: verb is argv's first word after "user".
 * Returns the process exit code. */
int cli_user(const char *verb, const struct cli_options *o);

/* `paroletrack api-key add --name N --scopes read[,write]`: prints the key once. */
int cli_api_key(const char *verb, const struct cli_options *o);

/* `paroletrack audit verify [--anchor LINE]`: exit 0 when the chain is intact, ends at its
 * sealed head (and holds the anchor), 1 when not, 2 on a malformed anchor. `paroletrack audit
 * anchor`: prints the head of an intact trail as one anchor line (exit 0), or exit 1. */
int cli_audit(const char *verb, const struct cli_options *o);

/* `paroletrack rekey --key-file OLD --new-key-file NEW`: a new key file is written (0600, it
 * must not exist) and every sealed value moves to it in one transaction. */
int cli_rekey(const struct cli_options *o);

/* `paroletrack deadlines verify|rebuild`: recompute every deadline and print each difference
 * with the stored ledger (exit 1 when there is one), or rewrite the ledger in one transaction.
 * Returns the exit code. */
int cli_deadlines(const char *verb, const struct cli_options *o);

/* `paroletrack webhooks deliver [--now RFC3339]`: one round of the webhook outbox (see
 * webhook_delivery.h), its summary printed. Exit 0, or 1 when the round could not run (a
 * receiver's failure is recorded and retried, not an error). */
int cli_webhooks(const char *verb, const struct cli_options *o);

/* `paroletrack uscis-sync`: the USCIS case status job (see uscis_sync.h). Exit 0 when the run
 * went through (receipts that failed are reported, not an exit code), 1 when it could not
 * (no token, the database), 2 on a bad configuration. */
int cli_uscis_sync(const struct cli_options *o);

/* `paroletrack remind`: the nightly reminder job (see remind.h). */
int cli_remind(const struct cli_options *o);

/* The key file of the options (--key-file, PAROLETRACK_KEY_FILE or <db>.key) into out. */
void cli_key_file(const struct cli_options *o, char *out, size_t out_size);

/* How cli_open_database treats the key and the database's lock file (dblock.h). */
enum cli_open {
    CLI_OPEN_NO_KEY,          /* schema only (migrate) */
    CLI_OPEN_WITH_KEY,        /* load the key, holding the shared lock until the process ends,
                               * so that no rekey runs while this process may write */
    CLI_OPEN_WITH_KEY_LOCKED, /* load the key; the caller holds the lock already */
};

/* Open the database at path, bring its schema up to date and (as `how` says) load its key.
 * Returns the connection (caller closes) or NULL after printing why. */
struct db *cli_open_database(const char *path, const struct cli_options *o, enum cli_open how);

/* Print to out, one line each, the programs that parole requests name but no program row has
 * (what migration 16 could not map to a code), with how many requests name each; nothing when
 * the database was migrated only to `migrated_to` (0: all), before the programs table. Returns
 * the number of such programs, or -1 when they cannot be read (the reason printed to stderr). */
int cli_report_unknown_programs(struct db *db, int migrated_to, FILE *out);

/* A context acting as the command line (actor "cli"). */
struct op_context;
void cli_context(struct op_context *ctx);

/* Work in the firm time zone the stored deadlines were computed in: with no --timezone (or
 * PAROLETRACK_TZ) the process takes that zone; a different one given is refused (exit 2) with
 * how to fix it, naming `command`. Returns 0, or the exit code after printing why. */
int cli_adopt_ledger_zone(struct db *db, const struct cli_options *o, const char *command);

/* A one-shot command that reads the whole firm (remind, deadlines verify and rebuild, backup)
 * gets a 64 MiB page cache and a memory map, so the pages it revisits are read from the file
 * once. Returns 0, or 1 (the exit code) after saying why on standard error. */
int cli_batch_cache(struct db *db);

/* `paroletrack backup --db FILE --to DEST [--encrypt]` (cli/backup_command.c). */
int cli_backup(const struct cli_options *o);

/* `paroletrack restore --from BACKUP --db FILE` (cli/backup_command.c). */
int cli_restore(const struct cli_options *o);

#endif
