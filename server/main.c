/* paroletrack: one binary, several subcommands (serve, migrate, demo, routes, version). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "cli.h"
#include "client_address.h"
#include "crypto.h"
#include "dates.h"
#include "db.h"
#include "dblock.h"
#include "deadline_ledger.h"
#include "demo.h"
#include "field_key.h"
#include "http.h"
#include "import.h"
#include "migrate.h"
#include "probe.h"
#include "sessions.h"
#include "webhook_delivery.h"

#define DEFAULT_LISTEN   "127.0.0.1:8080"
#define DEFAULT_MAX_BODY (1024 * 1024)

/* Transport limits of serve and demo (see --help). */
#define DEFAULT_PER_IP_CONNECTIONS 32
#define DEFAULT_MAX_CONNECTIONS    512
#define DEFAULT_REQUEST_TIMEOUT    60
#define MAX_REQUEST_TIMEOUT        3600
#define MAX_CONNECTIONS_LIMIT      65536
/* The parsed --trusted-proxy ranges (empty: X-Forwarded-For is ignored). */
static struct client_address_trust trusted_proxies;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paroletrack COMMAND [OPTIONS]\n"
            "\n"
            "Case tracking for US immigration parole cases.\n"
            "\n"
            "Commands:\n"
            "  serve      serve the REST API (applies pending migrations first)\n"
            "  migrate    apply pending migrations to the database and exit\n"
            "  demo       create a fresh demo database with fictional clients and serve it\n"
            "  routes     print the route table, one \"METHOD PATH\" per line\n"
            "  healthcheck  exit 0 when the server at --listen answers GET /healthz with 200\n"
            "  user add|disable|reset-password   manage staff accounts (password on standard\n"
            "             input, or --generate-password prints a new one once)\n"
            "  api-key add  create an integration key (printed once)\n"
            "  audit verify [--anchor LINE]  check the audit trail's hash chain and its\n"
            "             sealed head (and that it still holds an anchor line)\n"
            "  audit anchor print the trail's current head as one line for an external log\n"
            "  rekey        move every encrypted value to a new key file\n"
            "  deadlines verify|rebuild  compare the stored deadlines with a fresh\n"
            "             computation (exit 1 on a difference), or rewrite them\n"
            "  remind       the nightly reminder job (cron or a systemd timer)\n"
            "  backup       a verified online copy: --db FILE --to DEST [--encrypt]\n"
            "  restore      replace a database with a verified backup (no server running):\n"
            "               --from BACKUP --db FILE; the replaced file is kept aside\n"
            "  uscis-sync   check receipt numbers against the USCIS Case Status API (a timer)\n"
            "  webhooks deliver  one round of the change webhooks' outbox (serve does this\n"
            "               itself every second)\n"
            "  import       clients (and their parole requests) from CSV, all or nothing:\n"
            "               --clients FILE [--requests FILE] [--dry-run]\n"
            "  version    print the version\n"
            "\n");
    /* Two parts: C11 promises string literals of only 4095 characters. */
    fprintf(out,
            "Options (serve, migrate, demo, healthcheck):\n"
            "  --db FILE            SQLite database file (env PAROLETRACK_DB); required for\n"
            "                       serve and migrate, refused by demo (demo data never goes\n"
            "                       into a database you name)\n"
            "  --listen HOST:PORT   address to listen on (env PAROLETRACK_LISTEN; default\n"
            "                       " DEFAULT_LISTEN "; port 0 picks a free port; [::1]:PORT for "
            "IPv6)\n"
            "  --timezone NAME      the firm's IANA time zone, e.g. America/New_York (env\n"
            "                       PAROLETRACK_TZ; default: the system's zone)\n"
            "  --locale TAG         the firm's locale for dates in the dashboard, a BCP 47 tag\n"
            "                       such as en-US or es-US (env PAROLETRACK_LOCALE; default\n"
            "                       en-US)\n"
            "  --max-body BYTES     largest accepted request body (default 1048576)\n"
            "  --threads N          worker threads (default 8)\n"
            "  --per-ip-connections N  simultaneous connections from one address (default\n"
            "                       32; behind a reverse proxy every client shares one: raise it\n"
            "                       there)\n"
            "  --max-connections N  simultaneous connections in all (default 512; at least\n"
            "                       --threads); more wait in the kernel's queue or are closed\n"
            "  --request-timeout SECONDS  a request's headers to its whole body must take no\n"
            "                       longer (env PAROLETRACK_REQUEST_TIMEOUT; default 60, at\n"
            "                       most 3600); a slower body has the connection closed. A\n"
            "                       connection idle for 30 s is closed in any phase\n"
            "  --to N               migrate: stop after migration N (default: all);\n"
            "                       backup: the new file to write (never overwritten)\n"
            "  --encrypt            backup: seal the copy with the database's key\n"
            "  --from BACKUP        restore: the backup to restore (sealed or not)\n"
            "  --key-file FILE      the encryption key file (env PAROLETRACK_KEY_FILE; default\n"
            "                       <db>.key, created 0600 at first start); or the key itself\n"
            "                       as 64 hex digits in PAROLETRACK_KEY\n"
            "  --new-key-file FILE  rekey: the new key file to create\n"
            "  --secure-cookies     TLS in front of the server: the session cookie is\n"
            "                       __Host-pt_session (Secure) and every answer sends HSTS\n"
            "  --trusted-proxy CIDR[,CIDR]  reverse proxies whose X-Forwarded-For is believed\n"
            "                       (env PAROLETRACK_TRUSTED_PROXY; e.g. 127.0.0.1/32 or\n"
            "                       10.0.0.0/8,2001:db8::/32; default: none). Only when the\n"
            "                       connection comes from one of these, the client is the\n"
            "                       right-most X-Forwarded-For entry outside them (used to\n"
            "                       throttle sign-ins and recorded in their audit events);\n"
            "                       otherwise the header is ignored\n"
            "  --email E --name N --role R   user add (role: admin, attorney, paralegal,\n"
            "                       viewer)\n"
            "  --scopes read[,write] api-key add\n"
            "  --generate-password  user add / reset-password: generate and print one\n"
            "  remind: --as-of YYYY-MM-DD (default today), --dry-run, --smtp-url URL\n"
            "          (env PAROLETRACK_SMTP_URL; smtps:// or smtp:// with STARTTLS, which is\n"
            "          required), --smtp-from ADDRESS (PAROLETRACK_SMTP_FROM), --smtp-ca-file PEM\n"
            "          (PAROLETRACK_SMTP_CA_FILE), --smtp-insecure (PAROLETRACK_SMTP_INSECURE=1:\n"
            "          plain smtp:// without TLS, never with a password in the URL),\n"
            "          --firm-email ADDRESS (PAROLETRACK_FIRM_EMAIL), --webhook-url URL\n"
            "          (PAROLETRACK_WEBHOOK_URL) --webhook-secret whsec_... \n"
            "          (PAROLETRACK_WEBHOOK_SECRET), --base-url URL (PAROLETRACK_BASE_URL)\n"
            "  --help               this text\n");
    fprintf(out,
            "  uscis-sync: --uscis-base-url URL (PAROLETRACK_USCIS_BASE_URL; default the sandbox\n"
            "          https://api-int.uscis.gov), the client id and secret from\n"
            "          PAROLETRACK_USCIS_CLIENT_ID and PAROLETRACK_USCIS_CLIENT_SECRET or\n"
            "          --uscis-credentials FILE (PAROLETRACK_USCIS_CREDENTIALS; lines client_id=\n"
            "          and client_secret=, mode 0600), never on the command line;\n"
            "          --uscis-daily-quota N (PAROLETRACK_USCIS_DAILY_QUOTA; default 1000),\n"
            "          --uscis-timeout SECONDS (default 30), --uscis-max-wait SECONDS (the\n"
            "          longest Retry-After waited for; default 60)\n"
            "  webhooks deliver: --now RFC3339 (default now: the clock of the round)\n");
}

/* Parse "--name value" / "--name=value" options into *o. Returns 0, or -1 after printing what
 * was wrong. */
static int parse_options(int argc, char **argv, struct cli_options *o)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value = NULL, *eq;
        char name[32];
        size_t name_len;

        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            o->help = 1;
            continue;
        }
        if (strcmp(arg, "--secure-cookies") == 0) {
            o->secure_cookies = 1;
            continue;
        }
        if (strcmp(arg, "--smtp-insecure") == 0) {
            o->smtp_insecure = 1;
            continue;
        }
        if (strcmp(arg, "--generate-password") == 0) {
            o->generate_password = 1;
            continue;
        }
        if (strcmp(arg, "--dry-run") == 0) {
            o->dry_run = 1;
            continue;
        }
        if (strcmp(arg, "--encrypt") == 0) {
            o->encrypt = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "paroletrack: unexpected argument \"%s\"\n", arg);
            return -1;
        }
        eq = strchr(arg, '=');
        name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (name_len >= sizeof(name)) {
            fprintf(stderr, "paroletrack: unknown option %s\n", arg);
            return -1;
        }
        memcpy(name, arg, name_len);
        name[name_len] = '\0';
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        if (value == NULL) {
            fprintf(stderr, "paroletrack: %s needs a value\n", name);
            return -1;
        }
        if (strcmp(name, "--db") == 0) {
            o->db = value;
        } else if (strcmp(name, "--listen") == 0) {
            o->listen = value;
        } else if (strcmp(name, "--timezone") == 0) {
            o->timezone = value;
        } else if (strcmp(name, "--locale") == 0) {
            o->locale = value;
        } else if (strcmp(name, "--key-file") == 0) {
            o->key_file = value;
        } else if (strcmp(name, "--new-key-file") == 0) {
            o->new_key_file = value;
        } else if (strcmp(name, "--anchor") == 0) {
            o->anchor = value;
        } else if (strcmp(name, "--email") == 0) {
            o->email = value;
        } else if (strcmp(name, "--name") == 0) {
            o->name = value;
        } else if (strcmp(name, "--role") == 0) {
            o->role = value;
        } else if (strcmp(name, "--scopes") == 0) {
            o->scopes = value;
        } else if (strcmp(name, "--clients") == 0) {
            o->clients_csv = value;
        } else if (strcmp(name, "--requests") == 0) {
            o->requests_csv = value;
        } else if (strcmp(name, "--to") == 0) {
            o->to = value;
        } else if (strcmp(name, "--from") == 0) {
            o->from = value;
        } else if (strcmp(name, "--now") == 0) {
            o->now = value;
        } else if (strcmp(name, "--uscis-base-url") == 0) {
            o->uscis_base_url = value;
        } else if (strcmp(name, "--uscis-credentials") == 0) {
            o->uscis_credentials = value;
        } else if (strcmp(name, "--uscis-daily-quota") == 0) {
            o->uscis_daily_quota = value;
        } else if (strcmp(name, "--uscis-timeout") == 0) {
            o->uscis_timeout = value;
        } else if (strcmp(name, "--uscis-max-wait") == 0) {
            o->uscis_max_wait = value;
        } else if (strcmp(name, "--as-of") == 0) {
            o->as_of = value;
        } else if (strcmp(name, "--smtp-url") == 0) {
            o->smtp_url = value;
        } else if (strcmp(name, "--smtp-from") == 0) {
            o->smtp_from = value;
        } else if (strcmp(name, "--smtp-ca-file") == 0) {
            o->smtp_ca_file = value;
        } else if (strcmp(name, "--firm-email") == 0) {
            o->firm_email = value;
        } else if (strcmp(name, "--webhook-url") == 0) {
            o->webhook_url = value;
        } else if (strcmp(name, "--webhook-secret") == 0) {
            o->webhook_secret = value;
        } else if (strcmp(name, "--base-url") == 0) {
            o->base_url = value;
        } else if (strcmp(name, "--trusted-proxy") == 0) {
            o->trusted_proxy = value;
        } else if (strcmp(name, "--max-body") == 0 || strcmp(name, "--threads") == 0 ||
                   strcmp(name, "--per-ip-connections") == 0 ||
                   strcmp(name, "--max-connections") == 0 ||
                   strcmp(name, "--request-timeout") == 0) {
            char *end = NULL;
            unsigned long long number;

            errno = 0;
            number = strtoull(value, &end, 10);
            if (errno != 0 || *end != '\0' || value[0] == '\0' || value[0] == '-' ||
                number > 1024ULL * 1024 * 1024) {
                fprintf(stderr, "paroletrack: %s wants a number, not \"%s\"\n", name, value);
                return -1;
            }
            if (strcmp(name, "--max-body") == 0)
                o->max_body = (size_t)number;
            else if (strcmp(name, "--threads") == 0)
                o->threads = (unsigned)(number == 0 ? 1 : (number > 64 ? 64 : number));
            else if (strcmp(name, "--per-ip-connections") == 0)
                o->per_ip_connections = (unsigned)(number == 0 ? 1 : number);
            else if (strcmp(name, "--max-connections") == 0)
                o->max_connections = (unsigned)number;
            else
                o->request_timeout = (unsigned)number;
        } else {
            fprintf(stderr, "paroletrack: unknown option %s (see paroletrack --help)\n", name);
            return -1;
        }
    }
    return 0;
}

/* Take PAROLETRACK_REQUEST_TIMEOUT (NULL or empty: keep the default). Returns 0, or -1 after
 * printing what was wrong. */
static int parse_request_timeout(const char *value, struct cli_options *o)
{
    char *end = NULL;
    unsigned long number;

    if (value == NULL || value[0] == '\0')
        return 0;
    errno = 0;
    number = strtoul(value, &end, 10);
    if (errno != 0 || *end != '\0' || value[0] == '-' || number > UINT_MAX) {
        fprintf(stderr,
                "paroletrack: PAROLETRACK_REQUEST_TIMEOUT wants a number of seconds, "
                "not \"%s\"\n",
                value);
        return -1;
    }
    o->request_timeout = (unsigned)number;
    return 0;
}

/* Check the connection limits and the request deadline against each other. Returns 0, or -1
 * after printing what was wrong. */
static int check_limits(const struct cli_options *o)
{
    if (o->request_timeout < 1 || o->request_timeout > MAX_REQUEST_TIMEOUT) {
        fprintf(stderr, "paroletrack: --request-timeout must be 1 to %d seconds, not %u\n",
                MAX_REQUEST_TIMEOUT, o->request_timeout);
        return -1;
    }
    if (o->max_connections < 1 || o->max_connections > MAX_CONNECTIONS_LIMIT) {
        fprintf(stderr, "paroletrack: --max-connections must be 1 to %d, not %u\n",
                MAX_CONNECTIONS_LIMIT, o->max_connections);
        return -1;
    }
    if (o->max_connections < o->threads) {
        fprintf(stderr,
                "paroletrack: --max-connections (%u) must be at least --threads (%u): each "
                "worker thread takes its share\n",
                o->max_connections, o->threads);
        return -1;
    }
    return 0;
}

/* Options from the environment first, then the command line on top. */
static int load_options(int argc, char **argv, struct cli_options *o)
{
    memset(o, 0, sizeof(*o));
    o->db = getenv("PAROLETRACK_DB");
    o->smtp_url = getenv("PAROLETRACK_SMTP_URL");
    o->smtp_from = getenv("PAROLETRACK_SMTP_FROM");
    o->smtp_ca_file = getenv("PAROLETRACK_SMTP_CA_FILE");
    o->smtp_insecure = getenv("PAROLETRACK_SMTP_INSECURE") != NULL &&
                       strcmp(getenv("PAROLETRACK_SMTP_INSECURE"), "1") == 0;
    o->firm_email = getenv("PAROLETRACK_FIRM_EMAIL");
    o->webhook_url = getenv("PAROLETRACK_WEBHOOK_URL");
    o->webhook_secret = getenv("PAROLETRACK_WEBHOOK_SECRET");
    o->base_url = getenv("PAROLETRACK_BASE_URL");
    o->uscis_base_url = getenv("PAROLETRACK_USCIS_BASE_URL");
    o->uscis_credentials = getenv("PAROLETRACK_USCIS_CREDENTIALS");
    o->uscis_daily_quota = getenv("PAROLETRACK_USCIS_DAILY_QUOTA");
    o->listen = getenv("PAROLETRACK_LISTEN");
    o->timezone = getenv("PAROLETRACK_TZ");
    o->locale = getenv("PAROLETRACK_LOCALE");
    o->trusted_proxy = getenv("PAROLETRACK_TRUSTED_PROXY");
    o->max_body = DEFAULT_MAX_BODY;
    o->threads = 8;
    o->per_ip_connections = DEFAULT_PER_IP_CONNECTIONS;
    o->max_connections = DEFAULT_MAX_CONNECTIONS;
    o->request_timeout = DEFAULT_REQUEST_TIMEOUT;
    if (parse_request_timeout(getenv("PAROLETRACK_REQUEST_TIMEOUT"), o) != 0 ||
        parse_options(argc, argv, o) != 0 || check_limits(o) != 0)
        return -1;
    if (o->listen == NULL || o->listen[0] == '\0')
        o->listen = DEFAULT_LISTEN;
    if (dates_set_timezone(o->timezone) != 0) {
        fprintf(stderr,
                "paroletrack: unknown time zone \"%s\" (want an IANA name such as "
                "America/New_York)\n",
                o->timezone);
        return -1;
    }
    memset(&trusted_proxies, 0, sizeof(trusted_proxies));
    if (o->trusted_proxy != NULL && o->trusted_proxy[0] != '\0') {
        char why[160];

        if (client_address_parse_trust(o->trusted_proxy, &trusted_proxies, why, sizeof(why)) != 0) {
            fprintf(stderr,
                    "paroletrack: --trusted-proxy (or PAROLETRACK_TRUSTED_PROXY): %s; want "
                    "CIDR[,CIDR...], e.g. 127.0.0.1/32,10.0.0.0/8\n",
                    why);
            return -1;
        }
    }
    if (dates_set_locale(o->locale) != 0) {
        fprintf(stderr, "paroletrack: \"%s\" is not a locale tag (want one such as en-US)\n",
                o->locale);
        return -1;
    }
    return 0;
}

/* Bring the stored deadlines up to date before serving: a database from before the ledger, or
 * one last computed in another firm time zone, schema or computation, is rebuilt. Returns 0 or
 * -1 (reported). */
static int ensure_deadline_ledger(struct db *db)
{
    struct op_context ctx;
    struct problem p;
    int rc;

    context_init(&ctx);
    problem_init(&p);
    rc = deadline_ledger_ensure(db, &ctx, &p);
    if (rc < 0)
        fprintf(stderr, "paroletrack: the stored deadlines cannot be rebuilt: %s\n", p.detail);
    else if (rc == 1)
        fprintf(stderr, "paroletrack: stored deadlines rebuilt (time zone %s)\n",
                dates_timezone_name());
    problem_clear(&p);
    return rc < 0 ? -1 : 0;
}

/* Serve the database at path until SIGINT/SIGTERM. Returns the process exit code. */
static int serve_database(const char *path, const struct cli_options *o)
{
    struct http_config config = {
        .listen = o->listen,
        .max_body = o->max_body,
        .threads = o->threads,
        .connection_timeout = 30,
        .request_timeout = o->request_timeout,
        .per_ip_connections = o->per_ip_connections,
        .max_connections = o->max_connections,
        .connection_memory = 32 * 1024,
        .hsts = o->secure_cookies,
        .trusted_proxies = &trusted_proxies,
    };
    struct http_server *server;
    struct db *db;
    sigset_t signals;
    int signal_number = 0, lock;
    char why[4200];

    /* Held until the process ends, so `paroletrack rekey` refuses to run under this server. */
    lock = dblock_acquire(path, DBLOCK_SERVE, why, sizeof(why));
    if (lock < 0) {
        fprintf(stderr, "paroletrack: %s\n", why);
        return 1;
    }
    db = cli_open_database(path, o, CLI_OPEN_WITH_KEY_LOCKED);
    if (db == NULL || ensure_deadline_ledger(db) != 0) {
        db_close(db);
        dblock_release(lock);
        return 1;
    }
    db_close(db);
    db_pool_configure(path);
    /* Should the key change anyway (the lock file removed by hand), stop writing rather than
     * seal with a stale key. */
    db_set_write_guard(field_key_check_unchanged);
    sessions_configure(o->secure_cookies);
    /* Block the stop signals before the daemon's threads start (they inherit the mask), so
     * sigwait() below is the one place they arrive. */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "paroletrack: firm time zone %s\n", dates_timezone_name());
    if (trusted_proxies.count > 0)
        fprintf(stderr, "paroletrack: believing X-Forwarded-For from %zu trusted proxy range%s\n",
                trusted_proxies.count, trusted_proxies.count == 1 ? "" : "s");
    server = http_start(&config);
    if (server == NULL) {
        db_pool_close_all();
        dblock_release(lock);
        return 1;
    }
    /* The change webhooks' outbox is delivered by a worker thread of its own. */
    if (webhook_delivery_start() != 0)
        fprintf(stderr, "paroletrack: the webhook delivery worker did not start; run "
                        "`paroletrack webhooks deliver` from a timer instead\n");
    sigwait(&signals, &signal_number);
    fprintf(stderr, "paroletrack: stopping (signal %d)\n", signal_number);
    webhook_delivery_stop();
    http_stop(server, 5);
    db_pool_close_all();
    db_set_write_guard(NULL);
    dblock_release(lock);
    fprintf(stderr, "paroletrack: stopped cleanly\n");
    return 0;
}

static int command_serve(const struct cli_options *o)
{
    if (o->db == NULL || o->db[0] == '\0') {
        fprintf(stderr, "paroletrack: serve needs --db FILE (or PAROLETRACK_DB); for a demo "
                        "run paroletrack demo\n");
        return 2;
    }
    return serve_database(o->db, o);
}

static int command_migrate(struct cli_options *o)
{
    struct db *db;
    int unknown;

    if (o->db == NULL || o->db[0] == '\0') {
        fprintf(stderr, "paroletrack: migrate needs --db FILE (or PAROLETRACK_DB)\n");
        return 2;
    }
    if (o->to != NULL) {
        char *end = NULL;
        long number;

        errno = 0;
        number = strtol(o->to, &end, 10);
        if (errno != 0 || *end != '\0' || o->to[0] == '\0' || number < 1 || number > 100000) {
            fprintf(stderr, "paroletrack: --to wants a migration number, not \"%s\"\n", o->to);
            return 2;
        }
        o->migrate_to = (int)number;
    }
    db = cli_open_database(o->db, o, CLI_OPEN_NO_KEY);
    if (db == NULL)
        return 1;
    unknown = cli_report_unknown_programs(db, o->migrate_to, stderr);
    db_close(db);
    if (unknown < 0)
        return 1;
    fprintf(stderr, "paroletrack: %s is up to date\n", o->db);
    return 0;
}

static int command_demo(struct cli_options *o)
{
    char path[512];
    struct db *db;
    struct problem p;
    int rc;

    if (o->db != NULL && getenv("PAROLETRACK_DB") != o->db) {
        fprintf(stderr, "paroletrack: demo never writes into a database you name; drop --db\n");
        return 2;
    }
    if (demo_make_path(path, sizeof(path)) != 0) {
        fprintf(stderr, "paroletrack: cannot create a directory for the demo database\n");
        return 1;
    }
    db = cli_open_database(path, o, CLI_OPEN_WITH_KEY);
    if (db == NULL)
        return 1;
    problem_init(&p);
    rc = demo_load(db, &p);
    if (rc == 0)
        rc = demo_create_users(db, &p);
    db_close(db);
    if (rc != 0) {
        fprintf(stderr, "paroletrack: loading the demo data failed: %s\n", p.detail);
        problem_clear(&p);
        return 1;
    }
    problem_clear(&p);
    fprintf(stderr, "paroletrack: demo database %s (fictional data)\n", path);
    return serve_database(path, o);
}

int main(int argc, char **argv)
{
    struct cli_options options;
    const char *command = argc > 1 ? argv[1] : "help";

    /* Everything this process creates (the database, its -wal and -shm, the key file, their
     * directories, exports) is for the service account alone. */
    umask(077);

    if (strcmp(command, "help") == 0 || strcmp(command, "--help") == 0 ||
        strcmp(command, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(command, "version") == 0 || strcmp(command, "--version") == 0) {
        printf("paroletrack %s\n", PAROLETRACK_VERSION);
        return 0;
    }
    if (strcmp(command, "routes") == 0) {
        api_print_routes(stdout);
        return 0;
    }
    if (strcmp(command, "user") == 0 || strcmp(command, "api-key") == 0 ||
        strcmp(command, "audit") == 0 || strcmp(command, "deadlines") == 0 ||
        strcmp(command, "webhooks") == 0) {
        const char *verb = argc > 2 ? argv[2] : NULL;

        if (load_options(argc > 3 ? argc - 3 : 0, argv + 3, &options) != 0)
            return 2;
        if (crypto_init() != 0)
            return 1;
        if (strcmp(command, "user") == 0)
            return cli_user(verb, &options);
        if (strcmp(command, "api-key") == 0)
            return cli_api_key(verb, &options);
        if (strcmp(command, "deadlines") == 0)
            return cli_deadlines(verb, &options);
        if (strcmp(command, "webhooks") == 0)
            return cli_webhooks(verb, &options);
        return cli_audit(verb, &options);
    }
    if (strcmp(command, "serve") != 0 && strcmp(command, "migrate") != 0 &&
        strcmp(command, "demo") != 0 && strcmp(command, "healthcheck") != 0 &&
        strcmp(command, "rekey") != 0 && strcmp(command, "remind") != 0 &&
        strcmp(command, "import") != 0 && strcmp(command, "uscis-sync") != 0 &&
        strcmp(command, "backup") != 0 && strcmp(command, "restore") != 0) {
        fprintf(stderr, "paroletrack: unknown command \"%s\"\n\n", command);
        usage(stderr);
        return 2;
    }
    if (load_options(argc - 2, argv + 2, &options) != 0)
        return 2;
    if (options.help) {
        usage(stdout);
        return 0;
    }
    if (crypto_init() != 0) {
        fprintf(stderr, "paroletrack: libsodium failed to start\n");
        return 1;
    }
    if (!crypto_keys_locked() && (strcmp(command, "serve") == 0 || strcmp(command, "demo") == 0))
        fprintf(stderr, "paroletrack: warning: the keys cannot be locked in memory (raise "
                        "RLIMIT_MEMLOCK, systemd LimitMEMLOCK=); they could be swapped to disk\n");
    if (strcmp(command, "healthcheck") == 0)
        return probe_health(options.listen, 5);
    if (strcmp(command, "rekey") == 0)
        return cli_rekey(&options);
    if (strcmp(command, "backup") == 0)
        return cli_backup(&options);
    if (strcmp(command, "restore") == 0)
        return cli_restore(&options);
    if (strcmp(command, "remind") == 0)
        return cli_remind(&options);
    if (strcmp(command, "import") == 0)
        return cli_import(&options);
    if (strcmp(command, "uscis-sync") == 0)
        return cli_uscis_sync(&options);
    if (strcmp(command, "serve") == 0)
        return command_serve(&options);
    if (strcmp(command, "migrate") == 0)
        return command_migrate(&options);
    return command_demo(&options);
}
