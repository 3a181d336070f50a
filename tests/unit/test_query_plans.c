/* The query plans of every statement in the catalogue, against the migrated schema: a statement
 * that reads a table growing with the firm (clients, requests, their events, the deadline
 * ledger, the audit trail, sessions and the throttles) must reach it through an index. Each
 * plan is printed (EXPLAIN QUERY PLAN); a full scan of such a table fails the test unless the
 * statement is listed below with the reason it must read every row, and so does a search of
 * the deadline ledger by its met flag (or met and kind) alone. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "migrate.h"

/* Tables whose rows grow with the firm's cases, staff activity or time. */
static const char *const growing[] = {"clients",
                                      "parole_requests",
                                      "filings",
                                      "rfes",
                                      "interviews",
                                      "decisions",
                                      "expirations",
                                      "deadlines",
                                      "audit_events",
                                      "sessions",
                                      "sign_in_failures",
                                      "sign_in_known_addresses",
                                      "reminder_ledger",
                                      "identifier_lookups",
                                      "recovery_codes",
                                      "parole_request_facts",
                                      NULL};

/* Statements that read every row by design, and why. */
static const struct {
    enum sql_id id;
    const char *why;
} whole_table[] = {
    {SQL_AUDIT_ALL, "audit verify walks the whole hash chain"},
    {SQL_DLEDGER_DELETE_ALL, "deadlines rebuild rewrites the whole ledger"},
    {SQL_KEYED_TRACES, "at start, only when the key check is missing: is anything sealed?"},
    {SQL_STAGE_DISAGREEMENTS, "deadlines verify compares every request's stage"},
    {SQL_TALLY_DISAGREEMENTS, "deadlines verify recounts the stage tally"},
    {SQL_FACTS_DELETE_ALL, "deadlines rebuild rewrites every request's stage facts"},
};

/* Whether `name` is in the NULL-terminated list. */
static int listed(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

/* Whether statement `id` may read a whole table (the sealed-value selects of rekey do too). */
static const char *whole_table_reason(enum sql_id id)
{
    for (size_t i = 0; i < sizeof(whole_table) / sizeof(whole_table[0]); i++)
        if (whole_table[i].id == id)
            return whole_table[i].why;
    if (strncmp(sql_name(id), "sealed_", 7) == 0)
        return "rekey reads and rewrites every sealed value (and a start, until every value "
               "was sealed once: the plaintext_sealed setting)";
    return NULL;
}

/* The table an alias (or a table name) stands for in `sql`: every "FROM t a", "JOIN t a",
 * "FROM t AS a" and "FROM t" is read. Copies it into table (empty when unknown). */
static void table_of(const char *sql, const char *alias, char *table, size_t size)
{
    const char *s = sql;

    table[0] = '\0';
    while ((s = strstr(s, " ")) != NULL) {
        char word[64], name[64], next[64];
        int n = 0;

        s++;
        if (sscanf(s, "%63[A-Za-z_] %n", word, &n) != 1 || n == 0)
            continue;
        if (strcmp(word, "FROM") != 0 && strcmp(word, "JOIN") != 0)
            continue;
        if (sscanf(s + n, "%63[A-Za-z_0-9] %63[A-Za-z_0-9]", name, next) < 1)
            continue;
        if (strcmp(name, alias) == 0) {
            snprintf(table, size, "%s", name);
            return;
        }
        if (strcmp(next, "AS") == 0)
            sscanf(s + n, "%*s AS %63[A-Za-z_0-9]", next);
        if (strcmp(next, alias) == 0) {
            snprintf(table, size, "%s", name);
            return;
        }
    }
}

/* Index searches that are scans in disguise: an index whose leading columns have a handful of
 * values (met, kind), searched on them alone, walks a share of every request's rows. */
static const char *const low_cardinality_searches[] = {
    "USING INDEX deadlines_by_met (met=?)",
    "USING COVERING INDEX deadlines_by_met (met=?)",
    "USING INDEX deadlines_ends (met=?)",
    "USING INDEX deadlines_ends (met=? AND kind=?)",
    "USING COVERING INDEX deadlines_ends (met=? AND kind=?)",
    NULL,
};

/* True when a plan step searches a low-cardinality index prefix alone (see above). */
static int low_cardinality(const char *detail)
{
    for (const char *const *s = low_cardinality_searches; *s; s++) {
        const char *at = strstr(detail, *s);

        if (at != NULL && at[strlen(*s)] == '\0')
            return 1;
    }
    return 0;
}

/* Check one statement's plan; returns 1 when it fully scans a growing table, or searches one
 * through a low-cardinality index prefix alone. */
static int scans_growing(struct db *db, enum sql_id id)
{
    struct problem p;
    json_t *plan, *step;
    size_t i;
    int bad = 0;

    problem_init(&p);
    plan = db_query_plan(db, id, &p);
    if (plan == NULL) {
        fprintf(stderr, "FAIL %s: %s\n", sql_name(id), p.detail);
        problem_clear(&p);
        return 1;
    }
    printf("%s\n", sql_name(id));
    json_array_foreach(plan, i, step)
    {
        const char *detail = json_string_value(step);
        char alias[64] = "", table[64];

        printf("  %s\n", detail);
        if (low_cardinality(detail)) {
            fprintf(stderr, "FAIL %s: reads every request's rows of one status (%s)\n",
                    sql_name(id), detail);
            bad = 1;
            continue;
        }
        if (strncmp(detail, "SCAN ", 5) != 0 || strstr(detail, " USING ") != NULL ||
            sscanf(detail + 5, "%63[A-Za-z_0-9]", alias) != 1)
            continue; /* a search, an index scan, a subquery's rows or a constant row */
        table_of(sql_text(id), alias, table, sizeof(table));
        if (listed(growing, table)) {
            const char *why = whole_table_reason(id);

            if (why != NULL) {
                printf("  (reads all of %s: %s)\n", table, why);
                continue;
            }
            fprintf(stderr, "FAIL %s: a full scan of %s (%s)\n", sql_name(id), table, detail);
            bad = 1;
        }
    }
    json_decref(plan);
    problem_clear(&p);
    return bad;
}

int main(void)
{
    struct problem p;
    struct db *db;

    problem_init(&p);
    db = db_open(":memory:", &p);
    if (db == NULL || migrate_apply(db, 0, NULL, &p) != 0) {
        fprintf(stderr, "setup: %s\n", p.detail);
        return 1;
    }
    for (int id = 0; id < SQL__MAX; id++)
        CHECK(!scans_growing(db, (enum sql_id)id));
    /* The check itself: a statement that does scan is caught (table_of finds its table). */
    {
        char table[64];

        table_of("SELECT id FROM parole_requests p WHERE x", "p", table, sizeof(table));
        CHECK_STR(table, "parole_requests");
        table_of("SELECT 1 FROM deadlines AS d JOIN users u ON 1", "u", table, sizeof(table));
        CHECK_STR(table, "users");
        /* and a search of the ledger by its met flag alone (how facts_refresh once read it) */
        CHECK(low_cardinality("SEARCH d USING INDEX deadlines_by_met (met=?)"));
        CHECK(!low_cardinality("SEARCH d USING INDEX deadlines_by_met (met=? AND due_on<?)"));
    }
    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}
