/* paroletrack: one binary, several subcommands (serve, migrate, demo, routes, version). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "crypto.h"
#include "dates.h"
#include "db.h"
#include "demo.h"
#include "http.h"
#include "migrate.h"
#include "probe.h"

#define DEFAULT_LISTEN   "127.0.0.1:8080"
#define DEFAULT_MAX_BODY (1024 * 1024)

struct options {
    const char *db;
    const char *listen;
    const char *timezone;
    size_t max_body;
    unsigned threads;
    unsigned per_ip_connections;
    int migrate_to;
    int help;
};

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
            "  version    print the version\n"
            "\n"
            "Options (serve, migrate, demo, healthcheck):\n"
            "  --db FILE            SQLite database file (env PAROLETRACK_DB); required for\n"
            "                       serve and migrate, refused by demo (demo data never goes\n"
            "                       into a database you name)\n"
            "  --listen HOST:PORT   address to listen on (env PAROLETRACK_LISTEN; default\n"
            "                       " DEFAULT_LISTEN "; port 0 picks a free port; [::1]:PORT for "
            "IPv6)\n"
            "  --timezone NAME      the firm's IANA time zone, e.g. America/New_York (env\n"
            "                       PAROLETRACK_TZ; default: the system's zone)\n"
            "  --max-body BYTES     largest accepted request body (default 1048576)\n"
            "  --threads N          worker threads (default 4)\n"
            "  --per-ip-connections N  simultaneous connections from one address (default\n"
            "                       256; behind a reverse proxy every client shares one)\n"
            "  --to N               migrate: stop after migration N (default: all)\n"
            "  --help               this text\n");
}

/* Parse "--name value" / "--name=value" options into *o. Returns 0, or -1 after printing what
 * was wrong. */
static int parse_options(int argc, char **argv, struct options *o)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value = NULL, *eq;
        char name[32];
        size_t name_len;

        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            o->help = 1;
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
        } else if (strcmp(name, "--max-body") == 0 || strcmp(name, "--threads") == 0 ||
                   strcmp(name, "--to") == 0 || strcmp(name, "--per-ip-connections") == 0) {
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
            else
                o->migrate_to = (int)number;
        } else {
            fprintf(stderr, "paroletrack: unknown option %s (see paroletrack --help)\n", name);
            return -1;
        }
    }
    return 0;
}

/* Options from the environment first, then the command line on top. */
static int load_options(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->db = getenv("PAROLETRACK_DB");
    o->listen = getenv("PAROLETRACK_LISTEN");
    o->timezone = getenv("PAROLETRACK_TZ");
    o->max_body = DEFAULT_MAX_BODY;
    o->threads = 4;
    o->per_ip_connections = 256;
    if (parse_options(argc, argv, o) != 0)
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
    return 0;
}

/* Open the database at path and bring its schema up to date. Returns the connection (caller
 * closes) or NULL after printing why. */
static struct db *open_migrated(const char *path, int up_to)
{
    struct problem p;
    struct db *db;
    int applied = 0;

    problem_init(&p);
    db = db_open(path, &p);
    if (db == NULL || migrate_apply(db, up_to, &applied, &p) != 0) {
        fprintf(stderr, "paroletrack: %s\n", p.detail);
        db_close(db);
        problem_clear(&p);
        return NULL;
    }
    if (applied > 0)
        fprintf(stderr, "paroletrack: applied %d migration(s) to %s\n", applied, path);
    problem_clear(&p);
    return db;
}

/* Serve the database at path until SIGINT/SIGTERM. Returns the process exit code. */
static int serve_database(const char *path, const struct options *o)
{
    struct http_config config = {
        .listen = o->listen,
        .max_body = o->max_body,
        .threads = o->threads,
        .connection_timeout = 30,
        .per_ip_connections = o->per_ip_connections,
        .connection_memory = 64 * 1024,
    };
    struct http_server *server;
    struct db *db;
    sigset_t signals;
    int signal_number = 0;

    db = open_migrated(path, 0);
    if (db == NULL)
        return 1;
    db_close(db);
    db_pool_configure(path);
    /* Block the stop signals before the daemon's threads start (they inherit the mask), so
     * sigwait() below is the one place they arrive. */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "paroletrack: firm time zone %s\n", dates_timezone_name());
    server = http_start(&config);
    if (server == NULL) {
        db_pool_close_all();
        return 1;
    }
    sigwait(&signals, &signal_number);
    fprintf(stderr, "paroletrack: stopping (signal %d)\n", signal_number);
    http_stop(server, 5);
    db_pool_close_all();
    fprintf(stderr, "paroletrack: stopped cleanly\n");
    return 0;
}

static int command_serve(const struct options *o)
{
    if (o->db == NULL || o->db[0] == '\0') {
        fprintf(stderr, "paroletrack: serve needs --db FILE (or PAROLETRACK_DB); for a demo "
                        "run paroletrack demo\n");
        return 2;
    }
    return serve_database(o->db, o);
}

static int command_migrate(const struct options *o)
{
    struct db *db;

    if (o->db == NULL || o->db[0] == '\0') {
        fprintf(stderr, "paroletrack: migrate needs --db FILE (or PAROLETRACK_DB)\n");
        return 2;
    }
    db = open_migrated(o->db, o->migrate_to);
    if (db == NULL)
        return 1;
    db_close(db);
    fprintf(stderr, "paroletrack: %s is up to date\n", o->db);
    return 0;
}

static int command_demo(struct options *o)
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
    db = open_migrated(path, 0);
    if (db == NULL)
        return 1;
    problem_init(&p);
    rc = demo_load(db, &p);
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
    struct options options;
    const char *command = argc > 1 ? argv[1] : "help";

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
    if (strcmp(command, "serve") != 0 && strcmp(command, "migrate") != 0 &&
        strcmp(command, "demo") != 0 && strcmp(command, "healthcheck") != 0) {
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
    if (strcmp(command, "healthcheck") == 0)
        return probe_health(options.listen, 5);
    if (strcmp(command, "serve") == 0)
        return command_serve(&options);
    if (strcmp(command, "migrate") == 0)
        return command_migrate(&options);
    return command_demo(&options);
}
