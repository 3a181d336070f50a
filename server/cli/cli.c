/* cli: administrative subcommands. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_key_store.h"
#include "audit.h"
#include "context.h"
#include "crypto.h"
#include "dates.h"
#include "dblock.h"
#include "deadline_ledger.h"
#include "field_key.h"
#include "migrate.h"
#include "notify.h"
#include "outbound_url.h"
#include "passwords.h"
#include "program_store.h"
#include "remind.h"
#include "uscis_sync.h"
#include "users.h"
#include "webhook_delivery.h"

void cli_key_file(const struct cli_options *o, char *out, size_t out_size)
{
    const char *env = getenv("PAROLETRACK_KEY_FILE");

    if (o->key_file != NULL && o->key_file[0])
        snprintf(out, out_size, "%s", o->key_file);
    else if (env != NULL && env[0])
        snprintf(out, out_size, "%s", env);
    else
        field_key_default_path(o->db, out, out_size);
}

struct db *cli_open_database(const char *path, const struct cli_options *o, enum cli_open how)
{
    static int held_lock = -1; /* the shared lock, kept until the process ends */
    struct problem p;
    struct db *db;
    int applied = 0;
    char key_file[1024];

    if (how == CLI_OPEN_WITH_KEY && held_lock < 0) {
        char why[4200];

        held_lock = dblock_acquire(path, DBLOCK_SERVE, why, sizeof(why));
        if (held_lock < 0) {
            fprintf(stderr, "paroletrack: %s\n", why);
            return NULL;
        }
    }
    problem_init(&p);
    db = db_open(path, &p);
    if (db == NULL || migrate_apply(db, o->migrate_to, &applied, &p) != 0)
        goto fail;
    if (applied > 0)
        fprintf(stderr, "paroletrack: applied %d migration(s) to %s\n", applied, path);
    if (how != CLI_OPEN_NO_KEY) {
        struct cli_options for_path = *o;

        for_path.db = path;
        cli_key_file(&for_path, key_file, sizeof(key_file));
        if (field_key_open(db, key_file, getenv("PAROLETRACK_KEY"), &p) != 0)
            goto fail;
    }
    problem_clear(&p);
    return db;
fail:
    fprintf(stderr, "paroletrack: %s\n", p.detail);
    db_close(db);
    problem_clear(&p);
    return NULL;
}

void cli_context(struct op_context *ctx)
{
    context_init(ctx);
    ctx->actor.type = ACTOR_CLI;
    snprintf(ctx->actor.label, sizeof(ctx->actor.label), "cli");
}

/* Print a problem with every field error. */
static void print_problem(const struct problem *p)
{
    size_t i;
    json_t *e;

    fprintf(stderr, "paroletrack: %s\n", p->detail);
    json_array_foreach(p->errors, i, e)
    {
        fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
}

/* The password for a new account or a reset: generated and printed once, or one line read
 * from standard input. Returns 0 and fills out, or -1. */
static int obtain_password(const struct cli_options *o, char *out, size_t size)
{
    size_t len;

    if (o->generate_password) {
        if (passwords_generate(out, size) != 0)
            return -1;
        printf("%s\n", out);
        fflush(stdout);
        return 0;
    }
    if (isatty(STDIN_FILENO))
        fprintf(stderr, "password (at least 12 characters): ");
    if (fgets(out, (int)size, stdin) == NULL)
        return -1;
    len = strcspn(out, "\r\n");
    out[len] = '\0';
    return len > 0 ? 0 : -1;
}

int cli_user(const char *verb, const struct cli_options *o)
{
    struct op_context ctx;
    struct problem p;
    struct db *db = NULL;
    char password[1100];
    int64_t id = 0;
    int rc = 1;

    problem_init(&p);
    cli_context(&ctx);
    if (verb == NULL || o->db == NULL || o->email == NULL) {
        fprintf(stderr, "usage: paroletrack user add|disable|reset-password --db FILE --email E "
                        "[--name N --role R] [--generate-password]\n");
        return 2;
    }
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (db == NULL)
        return 1;
    if (strcmp(verb, "add") == 0) {
        json_t *body, *user;

        if (o->name == NULL || o->role == NULL) {
            fprintf(stderr, "paroletrack: user add needs --name and --role "
                            "(admin, attorney, paralegal, viewer)\n");
            rc = 2;
            goto out;
        }
        if (obtain_password(o, password, sizeof(password)) != 0) {
            fprintf(stderr, "paroletrack: no password on standard input\n");
            goto out;
        }
        body = json_pack("{s:s, s:s, s:s, s:s}", "email", o->email, "name", o->name, "role",
                         o->role, "password", password);
        user = users_create(db, body, &ctx, &p);
        json_decref(body);
        if (user == NULL)
            goto out;
        fprintf(stderr, "paroletrack: user %s (%s) created with id %lld\n", o->email, o->role,
                (long long)json_integer_value(json_object_get(user, "id")));
        json_decref(user);
        rc = 0;
        goto out;
    }
    if (users_find(db, o->email, &id, &p) != 0)
        goto out;
    if (id == 0) {
        fprintf(stderr, "paroletrack: no user has the e-mail %s\n", o->email);
        goto out;
    }
    if (strcmp(verb, "disable") == 0) {
        if (users_disable(db, id, &ctx, &p) == 0) {
            fprintf(stderr, "paroletrack: %s disabled; their sessions ended\n", o->email);
            rc = 0;
        }
    } else if (strcmp(verb, "reset-password") == 0) {
        if (obtain_password(o, password, sizeof(password)) != 0) {
            fprintf(stderr, "paroletrack: no password on standard input\n");
            goto out;
        }
        if (users_set_password(db, id, password, &ctx, &p) == 0) {
            fprintf(stderr, "paroletrack: password of %s reset; their sessions ended\n", o->email);
            rc = 0;
        }
    } else {
        fprintf(stderr, "paroletrack: unknown user command \"%s\"\n", verb);
        rc = 2;
    }
out:
    if (rc == 1 && p.kind != PROBLEM_NONE)
        print_problem(&p);
    crypto_wipe(password, sizeof(password));
    problem_clear(&p);
    db_close(db);
    return rc;
}

int cli_api_key(const char *verb, const struct cli_options *o)
{
    struct op_context ctx;
    struct problem p;
    struct db *db;
    json_t *body, *key, *scopes = json_array();
    char buffer[64];
    int rc = 1;

    if (verb == NULL || strcmp(verb, "add") != 0 || o->db == NULL || o->name == NULL ||
        o->scopes == NULL) {
        fprintf(
            stderr,
            "usage: paroletrack api-key add --db FILE --name N --scopes read[,write][,metrics]\n"
            "       (--scopes metrics alone: a monitoring key that reads /metrics only)\n");
        json_decref(scopes);
        return 2;
    }
    snprintf(buffer, sizeof(buffer), "%s", o->scopes);
    for (char *save = NULL, *s = strtok_r(buffer, ",", &save); s; s = strtok_r(NULL, ",", &save))
        json_array_append_new(scopes, json_string(s));
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (db == NULL) {
        json_decref(scopes);
        return 1;
    }
    problem_init(&p);
    cli_context(&ctx);
    body = json_pack("{s:s, s:o}", "name", o->name, "scopes", scopes);
    key = api_key_store_create(db, body, 0, &ctx, &p);
    if (key != NULL) {
        printf("%s\n", json_string_value(json_object_get(key, "key")));
        fprintf(stderr, "paroletrack: API key %s created; it is shown only this once\n", o->name);
        rc = 0;
    } else {
        print_problem(&p);
    }
    json_decref(key);
    json_decref(body);
    problem_clear(&p);
    db_close(db);
    return rc;
}

int cli_audit(const char *verb, const struct cli_options *o)
{
    struct audit_check check = {.anchor = NULL};
    struct audit_anchor anchor;
    struct problem p;
    struct db *db;
    char line[256];
    int rc, anchoring = verb != NULL && strcmp(verb, "anchor") == 0;

    if (verb == NULL || (strcmp(verb, "verify") != 0 && !anchoring) || o->db == NULL ||
        (anchoring && o->anchor != NULL)) {
        fprintf(stderr, "usage: paroletrack audit verify --db FILE [--anchor LINE]\n"
                        "       paroletrack audit anchor --db FILE\n");
        return 2;
    }
    if (o->anchor != NULL) {
        if (audit_anchor_parse(o->anchor, &anchor, check.why, sizeof(check.why)) != 0) {
            fprintf(stderr, "paroletrack: malformed --anchor: %s\n", check.why);
            return 2;
        }
        check.anchor = &anchor;
    }
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (db == NULL)
        return 1;
    problem_init(&p);
    rc = audit_verify(db, &check, &p);
    if (rc == 0 && anchoring) {
        audit_anchor_format(&check.head, line, sizeof(line));
        printf("%s\n", line);
    } else if (rc == 0 && check.anchor != NULL) {
        printf("audit trail intact: %lld events; it holds the anchored event %lld\n",
               (long long)check.events, (long long)anchor.id);
    } else if (rc == 0) {
        printf("audit trail intact: %lld events\n", (long long)check.events);
    } else if (rc == 1) {
        printf("audit trail broken at event %lld: %s\n", (long long)check.broken_at, check.why);
        if (anchoring)
            fprintf(stderr, "paroletrack: no anchor for a broken audit trail\n");
    } else {
        fprintf(stderr, "paroletrack: %s\n", p.detail);
    }
    problem_clear(&p);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

int cli_adopt_ledger_zone(struct db *db, const struct cli_options *o, const char *command)
{
    char zone[128];
    struct problem p;
    int rc;

    problem_init(&p);
    rc = deadline_ledger_zone(db, zone, sizeof(zone), &p);
    if (rc != 0)
        fprintf(stderr, "paroletrack: %s\n", p.detail);
    problem_clear(&p);
    if (rc != 0)
        return 1;
    if (zone[0] == '\0' || strcmp(zone, dates_timezone_name()) == 0)
        return 0;
    if (o->timezone == NULL || o->timezone[0] == '\0') {
        if (dates_set_timezone(zone) == 0)
            return 0;
        fprintf(stderr,
                "paroletrack: the stored deadlines were computed in the time zone %s, "
                "which this system does not know\n",
                zone);
        return 2;
    }
    fprintf(stderr,
            "paroletrack: %s: the stored deadlines were computed in the firm's time zone %s, "
            "not %s; run with --timezone %s (or restart the server with the new zone, which "
            "rebuilds them)\n",
            command, zone, o->timezone, zone);
    return 2;
}

int cli_batch_cache(struct db *db)
{
    struct problem p;
    int rc;

    problem_init(&p);
    rc = db_set_cache_mib(db, 64, &p) == 0 && db_set_mmap_mib(db, 4096, &p) == 0 ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "paroletrack: %s\n", p.detail);
    problem_clear(&p);
    return rc;
}

int cli_deadlines(const char *verb, const struct cli_options *o)
{
    int rebuilding = verb != NULL && strcmp(verb, "rebuild") == 0;
    struct op_context ctx;
    struct problem p;
    struct db *db;
    int rc = 1;

    if (verb == NULL || (strcmp(verb, "verify") != 0 && !rebuilding) || o->db == NULL) {
        fprintf(stderr, "usage: paroletrack deadlines verify --db FILE\n"
                        "       paroletrack deadlines rebuild --db FILE\n");
        return 2;
    }
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (db == NULL)
        return 1;
    /* Verify in the zone the ledger was built in (unless told otherwise); a rebuild computes in
     * the zone given, which is how the firm's zone changes. */
    if (!rebuilding && (rc = cli_adopt_ledger_zone(db, o, "deadlines verify")) != 0) {
        db_close(db);
        return rc;
    }
    if ((rc = cli_batch_cache(db)) != 0) {
        db_close(db);
        return rc;
    }
    rc = 1;
    cli_context(&ctx);
    problem_init(&p);
    if (rebuilding) {
        int64_t stored = deadline_ledger_rebuild(db, &ctx, &p);

        if (stored >= 0) {
            printf("deadline ledger rebuilt: %lld deadlines\n", (long long)stored);
            rc = 0;
        }
    } else {
        int64_t differences = 0;

        if (deadline_ledger_verify(db, &ctx, stdout, &differences, &p) == 0) {
            if (differences == 0)
                printf("deadline ledger matches the computation\n");
            else
                printf("deadline ledger differs from the computation in %lld deadline(s); "
                       "`paroletrack deadlines rebuild` rewrites it\n",
                       (long long)differences);
            rc = differences == 0 ? 0 : 1;
        }
    }
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: %s\n", p.detail);
    problem_clear(&p);
    db_close(db);
    return rc;
}

/* Start a job that sends over the network (remind, webhooks, uscis-sync): libcurl, the
 * database with its key, and the time zone its stored deadlines were computed in. Returns the
 * connection (the caller closes it), or NULL after saying why with the exit code in *code. */
static struct db *cli_open_job(const struct cli_options *o, const char *command, int *code)
{
    struct db *db;

    *code = 1;
    if (notify_init() != 0) {
        fprintf(stderr, "paroletrack: libcurl failed to start\n");
        return NULL;
    }
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (db != NULL && (*code = cli_adopt_ledger_zone(db, o, command)) != 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

int cli_webhooks(const char *verb, const struct cli_options *o)
{
    struct problem p = {0};
    struct webhook_round round;
    struct op_context ctx;
    struct db *db;
    int64_t epoch = 0;
    int rc = 1;

    if (verb == NULL || strcmp(verb, "deliver") != 0 || o->db == NULL) {
        fprintf(stderr, "usage: paroletrack webhooks deliver --db FILE [--now RFC3339]\n");
        return 2;
    }
    context_init(&ctx);
    if (o->now != NULL && dates_parse_timestamp(o->now, ctx.now, &epoch) != 0) {
        fprintf(stderr, "paroletrack: --now must be an RFC 3339 instant, like "
                        "2026-12-07T09:00:00Z\n");
        return 2;
    }
    /* The overdue deadlines' days are the firm's: the zone the ledger was computed in. */
    db = cli_open_job(o, "webhooks", &rc);
    if (db == NULL)
        return rc;
    rc = 1;
    if (o->now != NULL)
        dates_local_date_of(epoch, ctx.today);
    else
        context_init(&ctx);
    if (webhook_delivery_round(db, &ctx, 0, 1, NULL, &round, &p) == 0) {
        printf("webhooks: %lld delivered, %lld to retry, %lld given up, %lld overdue "
               "deadline events raised\n",
               (long long)round.delivered, (long long)round.retrying, (long long)round.given_up,
               (long long)round.overdue_raised);
        rc = 0;
    } else
        fprintf(stderr, "paroletrack: webhooks: %s\n", p.detail);
    problem_clear(&p);
    db_close(db);
    return rc;
}

/* A whole number in [min, max] from text (NULL: fallback) into *out. Returns 0, or -1 after
 * printing what was wrong with option `name`. */
static int option_number(const char *name, const char *text, int64_t fallback, int64_t min,
                         int64_t max, int64_t *out)
{
    char *end = NULL;
    long long value;

    *out = fallback;
    if (text == NULL)
        return 0;
    value = strtoll(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || value < min || value > max) {
        fprintf(stderr, "paroletrack: %s wants a whole number from %lld to %lld, not \"%s\"\n",
                name, (long long)min, (long long)max, text);
        return -1;
    }
    *out = value;
    return 0;
}

int cli_uscis_sync(const struct cli_options *o)
{
    struct uscis_sync_config config = {.rate_per_second = 5};
    struct uscis_sync_result result;
    char id[512] = "", secret[1024] = "", why[512];
    int64_t quota, timeout, max_wait;
    struct db *db;
    int rc;

    if (o->db == NULL) {
        fprintf(stderr, "usage: paroletrack uscis-sync --db FILE [--uscis-base-url URL] "
                        "[--uscis-credentials FILE] [--uscis-daily-quota N] "
                        "[--uscis-timeout SECONDS] [--uscis-max-wait SECONDS]\n"
                        "  the client id and secret come from PAROLETRACK_USCIS_CLIENT_ID and "
                        "PAROLETRACK_USCIS_CLIENT_SECRET, or the 0600 file\n");
        return 2;
    }
    config.base_url = o->uscis_base_url ? o->uscis_base_url : "https://api-int.uscis.gov";
    if (outbound_url_check(config.base_url, why, sizeof(why)) != 0) {
        fprintf(stderr, "paroletrack: --uscis-base-url %s\n", why);
        return 2;
    }
    if (option_number("--uscis-daily-quota", o->uscis_daily_quota, 1000, 1, 10000000, &quota) !=
            0 ||
        option_number("--uscis-timeout", o->uscis_timeout, 30, 1, 300, &timeout) != 0 ||
        option_number("--uscis-max-wait", o->uscis_max_wait, 60, 0, 3600, &max_wait) != 0)
        return 2;
    if (o->uscis_credentials != NULL) {
        if (uscis_sync_read_credentials(o->uscis_credentials, id, sizeof(id), secret,
                                        sizeof(secret), why, sizeof(why)) != 0) {
            fprintf(stderr, "paroletrack: %s\n", why);
            return 2;
        }
    } else {
        snprintf(id, sizeof(id), "%s",
                 getenv("PAROLETRACK_USCIS_CLIENT_ID") ? getenv("PAROLETRACK_USCIS_CLIENT_ID")
                                                       : "");
        snprintf(secret, sizeof(secret), "%s",
                 getenv("PAROLETRACK_USCIS_CLIENT_SECRET")
                     ? getenv("PAROLETRACK_USCIS_CLIENT_SECRET")
                     : "");
    }
    if (id[0] == '\0' || secret[0] == '\0') {
        fprintf(stderr, "paroletrack: uscis-sync needs the client id and secret: "
                        "PAROLETRACK_USCIS_CLIENT_ID and PAROLETRACK_USCIS_CLIENT_SECRET, or "
                        "--uscis-credentials FILE (0600)\n");
        return 2;
    }
    config.client_id = id;
    config.client_secret = secret;
    config.daily_quota = quota;
    config.timeout_seconds = (long)timeout;
    config.max_wait_seconds = max_wait;
    db = cli_open_job(o, "uscis-sync", &rc);
    if (db != NULL)
        rc = uscis_sync_run(db, &config, &result) == 0 ? 0 : 1;
    crypto_wipe(secret, sizeof(secret));
    db_close(db);
    return rc;
}

int cli_remind(const struct cli_options *o)
{
    struct remind_config config = {
        .as_of = o->as_of,
        .dry_run = o->dry_run,
        .smtp_url = o->smtp_url,
        .smtp_from = o->smtp_from,
        .smtp_insecure = o->smtp_insecure,
        .smtp_ca_file = o->smtp_ca_file,
        .firm_email = o->firm_email,
        .webhook_url = o->webhook_url,
        .webhook_secret = o->webhook_secret,
        .base_url = o->base_url,
    };
    struct db *db;
    int rc;

    if (o->db == NULL) {
        fprintf(stderr,
                "usage: paroletrack remind --db FILE [--as-of YYYY-MM-DD] [--dry-run] "
                "[--smtp-url URL --smtp-from ADDRESS [--smtp-ca-file PEM] [--smtp-insecure]] "
                "[--firm-email ADDRESS] "
                "[--webhook-url URL --webhook-secret whsec_...] [--base-url URL]\n");
        return 2;
    }
    /* The reminders' dates are the firm's: the zone the stored deadlines were computed in. */
    db = cli_open_job(o, "remind", &rc);
    if (db == NULL)
        return rc;
    rc = cli_batch_cache(db);
    if (rc == 0)
        rc = remind_run(db, &config);
    db_close(db);
    return rc;
}

int cli_rekey(const struct cli_options *o)
{
    unsigned char old_key[CRYPTO_KEY_BYTES], new_key[CRYPTO_KEY_BYTES];
    char key_file[1024], busy[4200];
    const char *why = NULL;
    struct problem p;
    struct db *db = NULL;
    int rc = 1, lock = -1;

    if (o->db == NULL || o->new_key_file == NULL) {
        fprintf(stderr, "usage: paroletrack rekey --db FILE [--key-file OLD] --new-key-file NEW\n");
        return 2;
    }
    problem_init(&p);
    cli_key_file(o, key_file, sizeof(key_file));
    if (crypto_key_read_file(key_file, old_key, &why) != 0) {
        fprintf(stderr, "paroletrack: the key file %s %s\n", key_file, why);
        return 1;
    }
    /* Never under a running server: it would go on sealing with the old key. */
    lock = dblock_acquire(o->db, DBLOCK_REKEY, busy, sizeof(busy));
    if (lock < 0) {
        fprintf(stderr, "paroletrack: rekey refused, nothing changed: %s\n", busy);
        goto out;
    }
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY_LOCKED);
    if (db == NULL)
        goto out;
    if (crypto_key_create_file(o->new_key_file, new_key) != 0) {
        fprintf(stderr, "paroletrack: cannot create %s (it must not exist yet)\n", o->new_key_file);
        goto out;
    }
    if (field_key_rekey(db, old_key, new_key, &p) != 0) {
        fprintf(stderr, "paroletrack: rekey failed, nothing changed: %s\n", p.detail);
        unlink(o->new_key_file);
        goto out;
    }
    fprintf(stderr,
            "paroletrack: every sealed value now uses %s; keep %s until you have a "
            "backup made with the new key, then destroy it\n",
            o->new_key_file, key_file);
    rc = 0;
out:
    crypto_wipe(old_key, sizeof(old_key));
    crypto_wipe(new_key, sizeof(new_key));
    problem_clear(&p);
    db_close(db);
    dblock_release(lock);
    return rc;
}

int cli_report_unknown_programs(struct db *db, int migrated_to, FILE *out)
{
    struct problem p;
    json_t *unknown, *row;
    size_t i;
    int n;

    if (migrated_to > 0 && migrated_to < PROGRAM_STORE_MIGRATION)
        return 0;
    problem_init(&p);
    unknown = program_store_unknown(db, &p);
    if (unknown == NULL) {
        fprintf(stderr, "paroletrack: cannot read the programs of requests: %s\n", p.detail);
        problem_clear(&p);
        return -1;
    }
    json_array_foreach(unknown, i, row)
    {
        fprintf(out,
                "paroletrack: %lld parole request(s) name the program \"%s\", which is not a "
                "known program: add it (POST /api/v1/programs, or as an alias of a program) or "
                "change their program\n",
                (long long)json_integer_value(json_object_get(row, "requests")),
                json_string_value(json_object_get(row, "program")));
    }
    n = (int)json_array_size(unknown);
    json_decref(unknown);
    return n;
}
