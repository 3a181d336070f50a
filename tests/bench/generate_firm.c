/* generate_firm: the benchmark kit's large firm, written through the store (not the HTTP API),
 * so a 100,000-client firm takes minutes. Every row goes through the one write path
 * (resource_create, users_create, api_key_store_create, user_access_feed_create): the same field
 * checks, audit events and hooks as a request would run. The data is deterministic for a seed
 * (a splitmix64 PRNG); its dates are relative to the firm-local today, spread over ten years
 * (nine back, up to two ahead for what can lie in the future).
 *
 * It prints, on standard output, the lines the kit reads: api_key=..., feed_token=...,
 * busy_user_id=..., and on standard error its progress and rate. It links core_dep like the
 * unit tests and uses only public functions of the store, records and domain layers.
 *
 * usage: generate_firm --db FILE [--clients N] [--requests M] [--seed S] [--timezone ZONE] */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_key_store.h"
#include "context.h"
#include "crypto.h"
#include "dates.h"
#include "db.h"
#include "deadline_ledger.h"
#include "field_key.h"
#include "migrate.h"
#include "passwords.h"
#include "records.h"
#include "user_access.h"
#include "users.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* What the firm holds, from the command line. */
struct generate_options {
    const char *db;
    const char *timezone;
    long clients, requests;
    uint64_t seed;
};

/* The firm's staff: user ids by role, filled as the users are created. */
struct generate_staff {
    int64_t admins[2], attorneys[1000], paralegals[1000];
    size_t attorney_count, paralegal_count;
};

/* The run's shared state: the connection, the context every write carries, the PRNG, today and
 * the counters for the rate. */
struct generate_run {
    struct db *db;
    struct op_context ctx;
    struct civil_date today;
    uint64_t rng;
    long rows;
    long receipts;
};

/* splitmix64: a small deterministic PRNG. Returns the next 64 random bits. */
static uint64_t generate_next(struct generate_run *run)
{
    uint64_t z = (run->rng += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform integer in [lo, hi]. */
static long generate_between(struct generate_run *run, long lo, long hi)
{
    return lo + (long)(generate_next(run) % (uint64_t)(hi - lo + 1));
}

/* 1 with probability percent / 100. */
static int generate_chance(struct generate_run *run, int percent)
{
    return (long)(generate_next(run) % 100u) < percent;
}

/* One element of a NULL-free array of strings, at random. */
static const char *generate_pick(struct generate_run *run, const char *const *items, size_t n)
{
    return items[generate_next(run) % n];
}

/* The date `days` from today as "YYYY-MM-DD" in out. */
static void generate_date(const struct generate_run *run, long days, char out[DATE_LEN])
{
    dates_format(dates_add_days(run->today, days), out);
}

/* Create one record through the resource engine; counts the row. Returns the new id, or 0 with
 * the problem printed (the caller stops). */
static int64_t generate_create(struct generate_run *run, const struct resource_spec *spec,
                               int64_t parent_id, json_t *body)
{
    struct problem p;
    json_t *stored;
    int64_t id = 0;

    problem_init(&p);
    stored = resource_create(run->db, spec, parent_id, body, &run->ctx, &p);
    if (stored == NULL) {
        char *text = json_dumps(body, JSON_COMPACT);

        char *errors = p.errors ? json_dumps(p.errors, JSON_COMPACT) : NULL;

        fprintf(stderr, "generate_firm: %s %s: %s %s\n", spec->noun, text ? text : "", p.detail,
                errors ? errors : "");
        free(text);
        free(errors);
    } else {
        id = json_integer_value(json_object_get(stored, "id"));
        run->rows++;
    }
    json_decref(stored);
    json_decref(body);
    problem_clear(&p);
    return id;
}

/* Create the users of every role: two admins, one attorney and one paralegal per 2,500 requests
 * (at least two each), one viewer per 25,000 (at least one). Passwords are random and never
 * printed: the kit signs in with the API key and the feed token. Returns 0 or -1. */
static int generate_users(struct generate_run *run, long requests, struct generate_staff *staff)
{
    size_t per_role = (size_t)(requests / 2500 < 2 ? 2 : requests / 2500);
    size_t viewers = (size_t)(requests / 25000 < 1 ? 1 : requests / 25000);
    size_t total;

    if (per_role > COUNT_OF(staff->attorneys))
        per_role = COUNT_OF(staff->attorneys);
    total = 2 + 2 * per_role + viewers;
    for (size_t i = 0; i < total; i++) {
        const char *role = i < 2                  ? "admin"
                           : i < 2 + per_role     ? "attorney"
                           : i < 2 + 2 * per_role ? "paralegal"
                                                  : "viewer";
        char email[96], name[64], password[64];
        struct problem p;
        json_t *body, *user;
        int64_t id;

        snprintf(email, sizeof(email), "%s%zu@bench.paroletrack.invalid", role, i);
        snprintf(name, sizeof(name), "Bench %s %zu", role, i);
        if (passwords_generate(password, sizeof(password)) != 0)
            return -1;
        body = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", name, "role", role,
                         "password", password);
        crypto_wipe(password, sizeof(password));
        problem_init(&p);
        user = users_create(run->db, body, &run->ctx, &p);
        json_decref(body);
        if (user == NULL) {
            fprintf(stderr, "generate_firm: user %s: %s\n", email, p.detail);
            problem_clear(&p);
            return -1;
        }
        id = json_integer_value(json_object_get(user, "id"));
        json_decref(user);
        problem_clear(&p);
        if (i < 2)
            staff->admins[i] = id;
        else if (i < 2 + per_role)
            staff->attorneys[staff->attorney_count++] = id;
        else if (i < 2 + 2 * per_role)
            staff->paralegals[staff->paralegal_count++] = id;
    }
    return 0;
}

/* Create client number n (0-based). Returns its id, or 0. */
static int64_t generate_client(struct generate_run *run, long n)
{
    static const char *const families[] = {"Коваленко",   "Шевченко", "Бондаренко",    "García",
                                           "Hernández",   "Pérez",    "Jean-Baptiste", "Pierre",
                                           "Ahmadi",      "Karimi",   "Rodríguez",     "López",
                                           "Mykhailenko", "Nguyen",   "Mohammadi",     "Díaz"};
    static const char *const givens[] = {"Olena", "Andrii", "Iryna", "María", "José",  "Wilner",
                                         "Farid", "Zahra",  "Luis",  "Ana",   "Taras", "Rosa"};
    static const char *const countries[] = {"UA", "VE", "CU", "HT", "NI", "AF", "CO", "SV"};
    const char *country = generate_pick(run, countries, COUNT_OF(countries));
    char family[64], a_number[32], passport[32], email[64], born[DATE_LEN], passport_end[DATE_LEN];
    json_t *body;

    snprintf(family, sizeof(family), "%s%ld", generate_pick(run, families, COUNT_OF(families)), n);
    snprintf(a_number, sizeof(a_number), "A%09ld", 200000000 + n);
    snprintf(passport, sizeof(passport), "FX%07ld", n);
    snprintf(email, sizeof(email), "client%ld@example.org", n);
    generate_date(run, -generate_between(run, 18 * 365, 70 * 365), born);
    generate_date(run, generate_between(run, -365, 8 * 365), passport_end);
    body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "family_name", family,
                     "given_name", generate_pick(run, givens, COUNT_OF(givens)), "citizenship",
                     country, "country_of_birth", country, "date_of_birth", born, "a_number",
                     a_number, "passport_number", passport, "passport_country", country,
                     "passport_expires_on", passport_end, "email", email);
    return generate_create(run, &clients_resource, 0, body);
}

/* What the client's own deadlines come from (issue 12): for most clients an arrival one to six
 * years ago (the asylum one-year deadline; a tenth of them left again and came back), and for
 * some a move in the last three months (the AR-11 report). Returns 0 or -1. */
static int generate_client_history(struct generate_run *run, int64_t client)
{
    char arrived[DATE_LEN], departed[DATE_LEN], moved[DATE_LEN];
    long first = -generate_between(run, 365, 6 * 365);
    json_t *body;

    if (generate_chance(run, 60)) {
        generate_date(run, first, arrived);
        body = json_pack("{s:s, s:s, s:s}", "arrived_on", arrived, "port",
                         generate_chance(run, 50) ? "JFK" : "MIA", "class_of_admission",
                         generate_chance(run, 50) ? "DT" : "UHP");
        if (generate_chance(run, 10)) {
            generate_date(run, first + 30, departed);
            json_object_set_new(body, "departed_on", json_string(departed));
            if (generate_create(run, &entries_resource, client, body) == 0)
                return -1;
            generate_date(run, first + generate_between(run, 60, 300), arrived);
            body = json_pack("{s:s, s:s}", "arrived_on", arrived, "class_of_admission", "PAR");
        }
        if (generate_create(run, &entries_resource, client, body) == 0)
            return -1;
    }
    if (generate_chance(run, 15)) {
        json_t *patch, *stored;
        struct problem p;

        generate_date(run, -generate_between(run, 0, 90), moved);
        patch = json_pack("{s:s, s:s}", "address", "12 Harbour Street, Newark NJ", "address_since",
                          moved);
        problem_init(&p);
        stored = resource_patch(run->db, &clients_resource, 0, client, patch, NULL, &run->ctx, &p);
        json_decref(patch);
        if (stored == NULL) {
            fprintf(stderr, "generate_firm: client %lld address: %s\n", (long long)client,
                    p.detail);
            problem_clear(&p);
            return -1;
        }
        json_decref(stored);
        problem_clear(&p);
        run->rows++;
    }
    return 0;
}

/* A receipt number no other filing holds: a known service-centre prefix and a counter. */
static void generate_receipt(struct generate_run *run, char out[32])
{
    static const char *const prefixes[] = {"IOE", "EAC", "WAC", "LIN", "SRC", "NBC", "MSC"};

    snprintf(out, 32, "%s%010ld", prefixes[run->receipts % (long)COUNT_OF(prefixes)],
             1000000000L + run->receipts);
    run->receipts++;
}

/* The filings of a request filed `filed` days from today (negative): the initial I-131 (or
 * I-134A for a program), most with a receipt, some with an I-765 too. Returns 0 or -1. */
static int generate_filings(struct generate_run *run, int64_t request, long filed, int program)
{
    char on[DATE_LEN], notice[DATE_LEN], receipt[32];
    int with_receipt = filed < -30 ? generate_chance(run, 95) : generate_chance(run, 50);
    json_t *body;

    generate_date(run, filed, on);
    body = json_pack("{s:s, s:s, s:s, s:i}", "form", program ? "I-134A" : "I-131", "filed_on", on,
                     "method", generate_chance(run, 60) ? "online" : "mail", "fee_cents",
                     program ? 0 : 63000);
    if (with_receipt) {
        generate_receipt(run, receipt);
        generate_date(run, filed + generate_between(run, 0, filed < -21 ? 21 : -filed), notice);
        json_object_set_new(body, "receipt_number", json_string(receipt));
        json_object_set_new(body, "receipt_notice_on", json_string(notice));
    }
    if (generate_create(run, &filings_resource, request, body) == 0)
        return -1;
    if (filed < -60 && generate_chance(run, 20)) {
        generate_date(run, filed + 30, on);
        generate_receipt(run, receipt);
        body = json_pack("{s:s, s:s, s:s, s:s, s:i}", "form", "I-765", "filed_on", on,
                         "receipt_number", receipt, "method", "online", "fee_cents", 47000);
        if (generate_create(run, &filings_resource, request, body) == 0)
            return -1;
    }
    return 0;
}

/* An RFE or NOID issued after the filing: answered, open with its response due ahead, or open
 * and overdue. Returns 0 or -1. */
static int generate_rfe(struct generate_run *run, int64_t request, long filed)
{
    long issued = generate_between(run, filed + 1 < 0 ? filed + 1 : 0, 0);
    char on[DATE_LEN], due[DATE_LEN], answered[DATE_LEN];
    json_t *body;

    generate_date(run, issued, on);
    generate_date(run, issued + 87, due);
    body = json_pack("{s:s, s:s, s:s, s:b}", "issued_on", on, "kind",
                     generate_chance(run, 80) ? "rfe" : "noid", "response_due_on", due, "mailed",
                     generate_chance(run, 50));
    if (issued + 87 < 0 ? generate_chance(run, 85) : generate_chance(run, 40)) {
        long reply = issued + generate_between(run, 1, 80);

        generate_date(run, reply < 0 ? reply : 0, answered);
        json_object_set_new(body, "responded_on", json_string(answered));
    }
    return generate_create(run, &rfes_resource, request, body) == 0 ? -1 : 0;
}

/* An interview or biometrics appointment: past ones with an outcome, future ones scheduled.
 * Returns 0 or -1. */
static int generate_interview(struct generate_run *run, int64_t request, long filed)
{
    static const char *const past[] = {"completed", "completed",   "completed",
                                       "missed",    "rescheduled", "cancelled"};
    int future = generate_chance(run, 35);
    long day = future ? generate_between(run, 1, 120) : generate_between(run, filed, -1);
    char date[DATE_LEN], at[40];
    json_t *body;

    generate_date(run, day, date);
    snprintf(at, sizeof(at), "%sT%02ld:%02ld:00Z", date, generate_between(run, 13, 21),
             generate_between(run, 0, 3) * 15);
    body = json_pack("{s:s, s:s, s:s, s:s}", "kind",
                     generate_chance(run, 60) ? "interview" : "biometrics", "scheduled_at", at,
                     "location", "USCIS Field Office", "outcome",
                     future ? "scheduled" : generate_pick(run, past, COUNT_OF(past)));
    return generate_create(run, &interviews_resource, request, body) == 0 ? -1 : 0;
}

/* The document numbers of an expiration kind, in the shape its checks want. */
static void generate_document(struct generate_run *run, const char *kind, char out[24])
{
    if (strcmp(kind, "ead") == 0)
        snprintf(out, 24, "IOE%010ld", (long)(generate_next(run) % 10000000000ull));
    else if (strcmp(kind, "i94") == 0)
        snprintf(out, 24, "%011ld", (long)(generate_next(run) % 100000000000ull));
    else
        snprintf(out, 24, "TD%07ld", (long)(generate_next(run) % 10000000ull));
}

/* A decision of any outcome after the filing; an approval brings expirations of several
 * kinds (parole, I-94, EAD, travel document, passport, other), some already past. Returns 0
 * or -1. */
static int generate_decision(struct generate_run *run, int64_t request, long filed)
{
    static const char *const outcomes[] = {
        "approved",  "approved", "approved", "approved",  "approved",
        "approved",  "denied",   "denied",   "withdrawn", "administratively_closed",
        "terminated"};
    static const char *const kinds[] = {"parole",          "i94",      "ead",
                                        "travel_document", "passport", "other"};
    const char *outcome = generate_pick(run, outcomes, COUNT_OF(outcomes));
    long decided = generate_between(run, filed + 30 < 0 ? filed + 30 : filed, 0);
    long ends = decided + generate_between(run, 365, 730);
    char on[DATE_LEN], until[DATE_LEN], number[24];
    json_t *body;

    generate_date(run, decided, on);
    body = json_pack("{s:s, s:s, s:b}", "decided_on", on, "outcome", outcome, "mailed",
                     generate_chance(run, 70));
    if (strcmp(outcome, "approved") == 0) {
        generate_date(run, ends, until);
        json_object_set_new(body, "valid_from", json_string(on));
        json_object_set_new(body, "valid_until", json_string(until));
    }
    if (generate_create(run, &decisions_resource, request, body) == 0)
        return -1;
    if (strcmp(outcome, "approved") != 0)
        return 0;
    for (size_t i = 0; i < COUNT_OF(kinds); i++) {
        if (i > 1 && !generate_chance(run, 40))
            continue;
        generate_date(run, i < 2 ? ends : ends - generate_between(run, 0, 200), until);
        body = json_pack("{s:s, s:s}", "kind", kinds[i], "expires_on", until);
        if (i > 0 && i < 4) {
            generate_document(run, kinds[i], number);
            json_object_set_new(body, "document_number", json_string(number));
        }
        if (generate_create(run, &expirations_resource, request, body) == 0)
            return -1;
    }
    return 0;
}

/* A fee notice of a request filed `filed` days from today: issued after the filing, due a month
 * later, most of them paid. Returns 0 or -1. */
static int generate_fee_notice(struct generate_run *run, int64_t request, long filed)
{
    long issued = generate_between(run, filed, 0);
    char issued_on[DATE_LEN], due_on[DATE_LEN], paid_on[DATE_LEN];
    json_t *body;

    generate_date(run, issued, issued_on);
    generate_date(run, issued + 30, due_on);
    body = json_pack("{s:s, s:i, s:s, s:s}", "kind", "parole_fee", "amount_cents", 100000,
                     "issued_on", issued_on, "due_on", due_on);
    if (generate_chance(run, 70)) {
        generate_date(run, generate_between(run, issued, issued + 30 < 0 ? issued + 30 : 0),
                      paid_on);
        json_object_set_new(body, "paid_on", json_string(paid_on));
    }
    return generate_create(run, &fee_notices_resource, request, body) ? 0 : -1;
}

/* Request number n of client `client`, with its events: a tenth never filed, the rest filed
 * over the last nine years, with RFEs, interviews and decisions (and fee notices) by chance.
 * Assigned to an attorney and a paralegal in turn. Returns 0 or -1. */
static int generate_request(struct generate_run *run, long n, int64_t client,
                            const struct generate_staff *staff)
{
    static const char *const types[] = {
        "humanitarian",         "significant_public_benefit", "medical",
        "family_reunification", "military_parole_in_place",   "re_parole"};
    static const char *const programs[] = {"u4u", "chnv", "oaw", "frp"};
    int program = generate_chance(run, 55);
    long filed = -generate_between(run, 1, 9 * 365);
    json_t *body;
    int64_t id;

    body = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:b}", "client_id", (json_int_t)client, "parole_type",
        program ? "program" : generate_pick(run, types, COUNT_OF(types)), "location",
        generate_chance(run, 70) ? "outside_us" : "inside_us", "sponsor_name", "Roman Kowalczyk",
        "sponsor_status", generate_chance(run, 70) ? "us_citizen" : "lpr", "assigned_attorney_id",
        (json_int_t)staff->attorneys[(size_t)n % staff->attorney_count], "assigned_paralegal_id",
        (json_int_t)staff->paralegals[(size_t)n % staff->paralegal_count], "expedite",
        generate_chance(run, 5));
    if (program)
        json_object_set_new(body, "program",
                            json_string(generate_pick(run, programs, COUNT_OF(programs))));
    if ((id = generate_create(run, &parole_requests_resource, 0, body)) == 0)
        return -1;
    if (generate_chance(run, 10))
        return 0; /* still being prepared: nothing filed */
    if (generate_filings(run, id, filed, program) != 0)
        return -1;
    if (generate_chance(run, 10) && generate_fee_notice(run, id, filed) != 0)
        return -1;
    if (generate_chance(run, 25) && generate_rfe(run, id, filed) != 0)
        return -1;
    if (generate_chance(run, 30) && generate_interview(run, id, filed) != 0)
        return -1;
    if (filed < -60 && generate_chance(run, 65) && generate_decision(run, id, filed) != 0)
        return -1;
    return 0;
}

/* The kit's credentials: an API key (read, write) and the busy attorney's calendar feed token,
 * printed on standard output. Returns 0 or -1. */
static int generate_credentials(struct generate_run *run, const struct generate_staff *staff)
{
    json_t *body = json_pack("{s:s, s:[s, s]}", "name", "bench kit", "scopes", "read", "write");
    char token[CRYPTO_TOKEN_LEN + 1], hash[65];
    struct problem p;
    json_t *key;
    int rc = -1;

    problem_init(&p);
    key = api_key_store_create(run->db, body, 0, &run->ctx, &p);
    json_decref(body);
    if (key == NULL)
        goto out;
    crypto_token(token);
    crypto_sha256_hex(token, strlen(token), hash);
    if (user_access_feed_create(run->db, staff->attorneys[0], hash, &run->ctx, &p) != 0)
        goto out;
    printf("api_key=%s\nfeed_token=%s\nbusy_user_id=%lld\n",
           json_string_value(json_object_get(key, "key")), token, (long long)staff->attorneys[0]);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "generate_firm: credentials: %s\n", p.detail);
    json_decref(key);
    problem_clear(&p);
    return rc;
}

/* Parse the command line into *o. Returns 0, or -1 after printing the usage. */
static int generate_parse(int argc, char **argv, struct generate_options *o)
{
    o->db = NULL;
    o->timezone = "America/New_York";
    o->clients = 100000;
    o->requests = 250000;
    o->seed = 11;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            o->db = argv[i + 1];
        else if (strcmp(argv[i], "--timezone") == 0)
            o->timezone = argv[i + 1];
        else if (strcmp(argv[i], "--clients") == 0)
            o->clients = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--requests") == 0)
            o->requests = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0)
            o->seed = strtoull(argv[i + 1], NULL, 10);
        else
            o->db = NULL;
    }
    if (o->db == NULL || argc % 2 == 0 || o->clients < 1 || o->requests < 0) {
        fprintf(stderr, "usage: generate_firm --db FILE [--clients N] [--requests M] [--seed S] "
                        "[--timezone ZONE]\n");
        return -1;
    }
    return 0;
}

/* Seconds since an arbitrary start, for the rate. */
static double generate_seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct generate_options o;
    struct generate_run run = {0};
    struct generate_staff staff = {0};
    struct problem p;
    char key_file[4096];
    int64_t first_client = 0;
    long with_requests;
    double start = generate_seconds();
    int rc = 1;

    problem_init(&p);
    if (generate_parse(argc, argv, &o) != 0)
        return 2;
    if (crypto_init() != 0 || dates_set_timezone(o.timezone) != 0) {
        fprintf(stderr, "generate_firm: libsodium or the time zone %s failed\n", o.timezone);
        return 1;
    }
    run.rng = o.seed;
    if ((run.db = db_open(o.db, &p)) == NULL || migrate_apply(run.db, 0, NULL, &p) != 0)
        goto out;
    field_key_default_path(o.db, key_file, sizeof(key_file));
    if (field_key_open(run.db, key_file, NULL, &p) != 0)
        goto out;
    /* A benchmark fixture, not firm data: a crash may lose it, so the generator's own
     * connection skips the fsync of every commit (the server that reads it later is durable). */
    if (db_exec(run.db, "PRAGMA synchronous=OFF", &p) != 0)
        goto out;
    context_init(&run.ctx);
    run.ctx.actor.type = ACTOR_CLI;
    snprintf(run.ctx.actor.label, sizeof(run.ctx.actor.label), "bench generator");
    /* Stamp the empty ledger with its basis (zone, schema, computation) as `serve` would, so
     * the firm's first server start finds the ledger current instead of rebuilding it; every
     * write below keeps it so. */
    if (deadline_ledger_ensure(run.db, &run.ctx, &p) < 0)
        goto out;
    if (dates_parse(run.ctx.today, &run.today) != 0 || generate_users(&run, o.requests, &staff))
        goto out;
    fprintf(stderr, "generate_firm: %zu attorneys, %zu paralegals (%.1f s)\n", staff.attorney_count,
            staff.paralegal_count, generate_seconds() - start);
    for (long i = 0; i < o.clients; i++) {
        int64_t id = generate_client(&run, i);

        if (id == 0 || generate_client_history(&run, id) != 0)
            goto out;
        if (i == 0)
            first_client = id;
    }
    /* One client in fifty (the last ones) has no parole request yet: its own deadlines stand
     * alone in the ledger. */
    with_requests = o.clients - o.clients / 50;
    for (long n = 0; n < o.requests; n++) {
        if (generate_request(&run, n, first_client + n % with_requests, &staff) != 0)
            goto out;
        if (n > 0 && n % 25000 == 0)
            fprintf(stderr, "generate_firm: %ld requests, %ld rows, %.0f rows/s\n", n, run.rows,
                    (double)run.rows / (generate_seconds() - start));
    }
    if (generate_credentials(&run, &staff) != 0)
        goto out;
    fprintf(stderr, "generate_firm: %ld clients, %ld requests, %ld records in %.1f s (%.0f/s)\n",
            o.clients, o.requests, run.rows, generate_seconds() - start,
            (double)run.rows / (generate_seconds() - start));
    rc = 0;
out:
    if (p.detail[0])
        fprintf(stderr, "generate_firm: %s\n", p.detail);
    db_close(run.db);
    problem_clear(&p);
    return rc;
}
