/* Unit tests of the deadline engine: every rule, month ends and leap days, the rule in force on
 * the event's date, program-specific rules, met transitions and statuses, with the clock held
 * still, against the real migrations and SQL. */
#include <string.h>

#include "check.h"
#include "deadline_compute.h"
#include "deadline_ledger.h"
#include "store_fixture.h"

/* A deadline_ledger_row_fn: append the row's API JSON to the array text in arg. */
static void append_row(const struct deadline_row *row, void *arg)
{
    struct text_buffer *text = arg;

    text_buffer_add_string(text, text->len > 1 ? "," : "");
    deadline_ledger_row_json(row, text);
}

/* The stored deadlines of request `request` (0: of every open request) as the API shows them,
 * read from the ledger the write path keeps and parsed back from the JSON text the API sends.
 * A new array, or NULL with *p set. */
static json_t *ledger_read(int64_t request, struct problem *p)
{
    struct deadline_query q = {.request_id = request, .limit = -1};
    struct text_buffer text = {0};
    json_t *all = NULL;
    int rc;

    if (db_begin_read(db, p) != 0)
        return NULL;
    text_buffer_add_string(&text, "[");
    rc = deadline_ledger_each(db, &q, &ctx, append_row, &text, p);
    text_buffer_add_string(&text, "]");
    db_rollback(db);
    if (rc == 0 && !text.failed) {
        all = json_loads(text.data, 0, NULL);
        if (all == NULL)
            problem_set(p, PROBLEM_INTERNAL, "the ledger wrote JSON that does not parse");
    }
    text_buffer_free(&text);
    return all;
}

/* After a rule row changed behind the write path (as a migration changes rules), recompute the
 * stored deadlines as `paroletrack deadlines rebuild` and a server start after a migration do. */
static int rules_changed(void)
{
    struct problem p;
    int64_t stored;

    problem_init(&p);
    stored = deadline_ledger_rebuild(db, &ctx, &p);
    problem_clear(&p);
    return stored >= 0 ? 0 : -1;
}

/* The deadline of request `request` whose id is `id` (borrowed from *all, which the caller
 * frees), or NULL. */
static json_t *find(json_t **all, int64_t request, const char *id)
{
    struct problem p;
    json_t *d;
    size_t i;

    problem_init(&p);
    json_decref(*all);
    *all = ledger_read(request, &p);
    problem_clear(&p);
    json_array_foreach(*all, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "id")), id) == 0)
            return d;
    }
    return NULL;
}

static const char *field(json_t *d, const char *name)
{
    return d ? json_string_value(json_object_get(d, name)) : "(missing)";
}

/* A new request (program may be NULL) of a fresh client, inside or outside the US. */
static int64_t new_request(const char *program, const char *location)
{
    char body[160];
    int64_t client = create(&clients_resource, 0, "{\"family_name\":\"T\",\"given_name\":\"U\"}");

    snprintf(body, sizeof(body),
             "{\"client_id\":%lld,\"parole_type\":\"program\",\"program\":%s%s%s,"
             "\"location\":\"%s\"}",
             (long long)client, program ? "\"" : "", program ? program : "null",
             program ? "\"" : "", location);
    return create(&parole_requests_resource, 0, body);
}

int main(void)
{
    struct problem p;
    json_t *all = NULL, *d;
    int64_t r, rfe, id;
    char name[64];

    problem_init(&p);
    if (fixture_open() != 0)
        return 1;
    set_clock("2024-06-01", "2024-06-01T16:00:00Z");

    /* RFE: 84 days from issue, +3 when mailed; across a leap day and month ends. */
    r = new_request(NULL, "outside_us");
    create(&filings_resource, r, "{\"form\":\"I-131\",\"filed_on\":\"2023-11-01\"}");
    rfe = create(&rfes_resource, r, "{\"issued_on\":\"2024-01-31\"}");
    snprintf(name, sizeof(name), "rfes/%lld/rfe_response", (long long)rfe);
    d = find(&all, r, name);
    CHECK_STR(field(d, "due_on"), "2024-04-24");
    CHECK_STR(field(d, "status"), "overdue");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
              "rfe_response");
    /* The API's Deadline: 15 members of the computation (no met, due_at_utc) and 7 of its
     * triage (open: untouched, version 1), a rule of 4 (no version). */
    CHECK(json_object_size(d) == 22);
    CHECK_STR(field(d, "triage"), "open");
    CHECK(json_integer_value(json_object_get(d, "version")) == 1 &&
          json_is_null(json_object_get(d, "handled_reason")));
    CHECK_STR(field(d, "basis"), "computed_maximum");
    CHECK(json_is_null(json_object_get(d, "moot_decision_id")) &&
          json_is_false(json_object_get(d, "premature")));
    CHECK(json_is_null(json_object_get(d, "program_code")));
    CHECK(json_object_get(d, "met") == NULL && json_object_get(d, "due_at_utc") == NULL);
    CHECK(json_object_size(json_object_get(d, "rule")) == 4);
    CHECK(json_is_null(json_object_get(d, "due_at")) &&
          json_is_null(json_object_get(d, "opens_on")));
    CHECK(json_integer_value(json_object_get(json_object_get(d, "source"), "id")) == rfe);
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "source"), "resource")), "rfes");
    rfe = create(&rfes_resource, r, "{\"issued_on\":\"2023-12-08\",\"mailed\":true}");
    snprintf(name, sizeof(name), "rfes/%lld/rfe_response", (long long)rfe);
    CHECK_STR(field(find(&all, r, name), "due_on"), "2024-03-04"); /* 87 days, Feb 29 counted */
    /* The date printed on the notice wins; a response makes it met. */
    rfe = create(&rfes_resource, r,
                 "{\"issued_on\":\"2024-05-20\",\"response_due_on\":\"2024-06-01\"}");
    snprintf(name, sizeof(name), "rfes/%lld/rfe_response", (long long)rfe);
    CHECK_STR(field(find(&all, r, name), "status"), "due_today");
    CHECK_STR(field(find(&all, r, name), "due_on"), "2024-06-01");
    /* NOID: 30 days, 33 when mailed. */
    rfe = create(&rfes_resource, r,
                 "{\"issued_on\":\"2024-05-30\",\"kind\":\"noid\",\"mailed\":true}");
    snprintf(name, sizeof(name), "rfes/%lld/noid_response", (long long)rfe);
    d = find(&all, r, name);
    CHECK_STR(field(d, "due_on"), "2024-07-02");
    CHECK_STR(field(d, "status"), "upcoming");
    {
        json_t *patch = json_pack("{s:s}", "responded_on", "2024-05-31"), *rec;

        rec = resource_patch(db, &rfes_resource, r, rfe, patch, NULL, &ctx, &p);
        json_decref(rec);
        json_decref(patch);
        CHECK_STR(field(find(&all, r, name), "status"), "met");
    }

    /* A rule change applies from its effective date: older events keep the old rule. */
    CHECK(db_exec(db,
                  "UPDATE deadline_rules SET effective_to = '2024-05-01' WHERE code = "
                  "'rfe_response';"
                  "INSERT INTO deadline_rules (code, kind, description, days, mailed_extra_days,"
                  " effective_from, citation_source, citation_date, created_at, updated_at)"
                  " VALUES ('rfe_response', 'rfe_response', 'shorter', 60, 3, '2024-05-01',"
                  " 'test', '2024-05-01', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z')",
                  &p) == 0 &&
          rules_changed() == 0);
    rfe = create(&rfes_resource, r, "{\"issued_on\":\"2024-05-02\"}");
    snprintf(name, sizeof(name), "rfes/%lld/rfe_response", (long long)rfe);
    CHECK_STR(field(find(&all, r, name), "due_on"), "2024-07-01"); /* 60 days */
    rfe = create(&rfes_resource, r, "{\"issued_on\":\"2024-04-30\"}");
    snprintf(name, sizeof(name), "rfes/%lld/rfe_response", (long long)rfe);
    CHECK_STR(field(find(&all, r, name), "due_on"), "2024-07-23"); /* 84 days, the old rule */

    /* Appointments: the instant's firm-local date; met once completed; past without an
     * outcome is overdue; cancelled makes none. */
    id = create(&interviews_resource, r,
                "{\"kind\":\"biometrics\",\"scheduled_at\":\"2024-06-02T03:30:00Z\"}");
    snprintf(name, sizeof(name), "interviews/%lld/biometrics", (long long)id);
    d = find(&all, r, name);
    CHECK_STR(field(d, "due_on"), "2024-06-01"); /* 23:30 EDT on June 1st */
    CHECK_STR(field(d, "due_at"), "2024-06-02T03:30:00Z");
    CHECK_STR(field(d, "status"), "due_today");
    /* Around the autumn DST change (2024-11-03 02:00 EDT -> 01:00 EST) the local date follows
     * the zone: 03:59Z is still Nov 2nd (23:59 EDT), 05:30Z is 01:30 EDT and 06:30Z 01:30 EST,
     * both Nov 3rd. */
    {
        static const char *const cases[][2] = {{"2024-11-03T03:59:00Z", "2024-11-02"},
                                               {"2024-11-03T05:30:00Z", "2024-11-03"},
                                               {"2024-11-03T06:30:00Z", "2024-11-03"},
                                               {"2024-03-10T07:30:00Z", "2024-03-10"},
                                               {"2024-03-10T04:59:00Z", "2024-03-09"}};

        for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
            char body[128];

            snprintf(body, sizeof(body), "{\"kind\":\"interview\",\"scheduled_at\":\"%s\"}",
                     cases[k][0]);
            id = create(&interviews_resource, r, body);
            snprintf(name, sizeof(name), "interviews/%lld/interview", (long long)id);
            CHECK_STR(field(find(&all, r, name), "due_on"), cases[k][1]);
        }
    }
    id = create(&interviews_resource, r,
                "{\"kind\":\"interview\",\"scheduled_at\":\"2024-05-31T10:00:00-04:00\"}");
    snprintf(name, sizeof(name), "interviews/%lld/interview", (long long)id);
    CHECK_STR(field(find(&all, r, name), "status"), "overdue");
    id = create(&interviews_resource, r,
                "{\"kind\":\"interview\",\"scheduled_at\":\"2024-07-01T10:00:00-04:00\","
                "\"outcome\":\"cancelled\"}");
    snprintf(name, sizeof(name), "interviews/%lld/interview", (long long)id);
    CHECK(find(&all, r, name) == NULL);

    /* Approved, U4U: parole end, the re-parole window (opens 180 days before, due 90 before),
     * the EAD capped at the parole end, met once a later I-94 and a re-parole filing exist. */
    r = new_request("u4u", "inside_us");
    create(&filings_resource, r, "{\"form\":\"I-131\",\"filed_on\":\"2023-01-10\"}");
    id = create(&decisions_resource, r, "{\"decided_on\":\"2023-03-01\",\"outcome\":\"approved\"}");
    create(&expirations_resource, r, "{\"kind\":\"i94\",\"expires_on\":\"2025-02-28\"}");
    create(&expirations_resource, r, "{\"kind\":\"ead\",\"expires_on\":\"2025-06-30\"}");
    snprintf(name, sizeof(name), "decisions/%lld/reparole_filing", (long long)id);
    d = find(&all, r, name);
    CHECK_STR(field(d, "due_on"), "2024-11-30");
    CHECK_STR(field(d, "opens_on"), "2024-09-01");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
              "reparole_u4u");
    CHECK_STR(field(d, "status"), "upcoming");
    {
        json_t *e;
        size_t i;
        int ead_capped = 0;

        json_array_foreach(all, i, e)
        {
            if (strcmp(field(e, "kind"), "ead_end") == 0)
                ead_capped = strcmp(field(e, "due_on"), "2025-02-28") == 0;
        }
        CHECK(ead_capped);
    }
    /* The seeded rules by category and issue date: a (c)(11) card issued before H.R. 1 has no
     * one-year cap (the parole end caps it); one issued from 4 July 2025 takes the H.R. 1 rule;
     * a (c)(8) card ends on its own date, past the parole end. */
    {
        static const struct {
            const char *body, *due_on, *rule;
        } cards[] = {
            {"{\"kind\":\"ead\",\"issued_on\":\"2023-06-01\",\"expires_on\":\"2025-06-30\","
             "\"ead_category\":\"(c)(11)\"}",
             "2025-02-28", "ead_c11"},
            {"{\"kind\":\"ead\",\"issued_on\":\"2025-07-10\",\"expires_on\":\"2027-07-09\","
             "\"ead_category\":\"C11\"}",
             "2025-02-28", "ead_c11_hr1"},
            {"{\"kind\":\"ead\",\"issued_on\":\"2023-06-01\",\"expires_on\":\"2025-06-30\","
             "\"ead_category\":\"C08\"}",
             "2025-06-30", "ead_general"},
        };

        for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
            char ead[64];
            int64_t card = create(&expirations_resource, r, cards[i].body);

            snprintf(ead, sizeof(ead), "expirations/%lld/ead_end", (long long)card);
            d = find(&all, r, ead);
            CHECK_STR(field(d, "due_on"), cards[i].due_on);
            CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
                      cards[i].rule);
        }
    }
    /* A re-parole filed before the U4U window opened (2024-09-01) meets nothing: premature;
     * one inside the window meets it. */
    create(&filings_resource, r,
           "{\"form\":\"I-131\",\"filed_on\":\"2024-05-01\",\"kind\":\"re_parole\"}");
    CHECK_STR(field(find(&all, r, name), "status"), "upcoming");
    CHECK(json_is_true(json_object_get(find(&all, r, name), "premature")));
    set_clock("2024-09-20", "2024-09-20T16:00:00Z");
    create(&filings_resource, r,
           "{\"form\":\"I-131\",\"filed_on\":\"2024-09-20\",\"kind\":\"re_parole\"}");
    CHECK_STR(field(find(&all, r, name), "status"), "met");
    CHECK(json_is_false(json_object_get(find(&all, r, name), "premature")));
    set_clock("2024-06-01", "2024-06-01T16:00:00Z");
    /* The same window for a request of no program: the general rule, no opening date. */
    r = new_request(NULL, "inside_us");
    create(&filings_resource, r, "{\"form\":\"I-131\",\"filed_on\":\"2023-01-10\"}");
    id = create(&decisions_resource, r,
                "{\"decided_on\":\"2023-03-01\",\"outcome\":\"approved\",\"valid_until\":"
                "\"2024-12-31\"}");
    snprintf(name, sizeof(name), "decisions/%lld/reparole_filing", (long long)id);
    d = find(&all, r, name);
    CHECK_STR(field(d, "due_on"), "2024-10-02");
    CHECK(json_is_null(json_object_get(d, "opens_on")));
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
              "reparole_general");
    /* A later I-94 makes the earlier parole end met. */
    id = create(&expirations_resource, r, "{\"kind\":\"i94\",\"expires_on\":\"2024-05-31\"}");
    snprintf(name, sizeof(name), "expirations/%lld/parole_end", (long long)id);
    CHECK_STR(field(find(&all, r, name), "status"), "overdue");
    create(&expirations_resource, r, "{\"kind\":\"i94\",\"expires_on\":\"2025-05-31\"}");
    CHECK_STR(field(find(&all, r, name), "status"), "met");

    /* A denial makes no motion deadline while that rule is disabled, one when enabled; the RFE
     * left unanswered is moot, with the denial as its reason. */
    r = new_request(NULL, "outside_us");
    create(&filings_resource, r, "{\"form\":\"I-131\",\"filed_on\":\"2024-01-10\"}");
    rfe = create(&rfes_resource, r, "{\"issued_on\":\"2024-03-01\"}");
    id = create(&decisions_resource, r,
                "{\"decided_on\":\"2024-05-15\",\"outcome\":\"denied\",\"mailed\":true}");
    snprintf(name, sizeof(name), "decisions/%lld/motion", (long long)id);
    CHECK(find(&all, r, name) == NULL);
    CHECK(db_exec(db, "UPDATE deadline_rules SET enabled = 1 WHERE code = 'motion_i290b'", &p) ==
              0 &&
          rules_changed() == 0);
    CHECK_STR(field(find(&all, r, name), "due_on"), "2024-06-17"); /* 33 days */
    {
        char rfe_name[64];

        snprintf(rfe_name, sizeof(rfe_name), "rfes/%lld/rfe_response", (long long)rfe);
        CHECK_STR(field(find(&all, r, rfe_name), "status"), "moot");
        CHECK(json_integer_value(json_object_get(find(&all, r, rfe_name), "moot_decision_id")) ==
              id);
        CHECK_STR(field(find(&all, r, rfe_name), "basis"), "computed_maximum");
    }
    /* The passport date on the client's record is a deadline, shown once for a client with two
     * open requests, and met by a later passport expiry. */
    {
        int64_t client = create(&clients_resource, 0,
                                "{\"family_name\":\"P\",\"given_name\":\"Q\","
                                "\"passport_expires_on\":\"2024-09-30\"}");
        char body[96], pid[64];
        int64_t a, b;
        json_t *e;
        size_t k;
        int seen = 0;

        snprintf(body, sizeof(body), "{\"client_id\":%lld,\"parole_type\":\"medical\"}",
                 (long long)client);
        a = create(&parole_requests_resource, 0, body);
        b = create(&parole_requests_resource, 0, body);
        snprintf(pid, sizeof(pid), "clients/%lld/passport_expiry", (long long)client);
        CHECK_STR(field(find(&all, a, pid), "due_on"), "2024-09-30");
        CHECK_STR(field(find(&all, a, pid), "status"), "upcoming");
        json_decref(all);
        all = ledger_read(0, &p);
        json_array_foreach(all, k, e)
        {
            seen += strcmp(field(e, "id"), pid) == 0;
        }
        CHECK(seen == 1);
        create(&expirations_resource, b, "{\"kind\":\"passport\",\"expires_on\":\"2034-09-30\"}");
        CHECK_STR(field(find(&all, b, pid), "status"), "met");
    }

    /* A denied request's motion stays in the firm-wide list (what survives a decision is
     * listed whatever the stage), and so does its moot RFE response, as moot. */
    json_decref(all);
    all = ledger_read(0, &p);
    {
        json_t *e;
        size_t i;
        int motion_listed = 0, moot_listed = 0;

        json_array_foreach(all, i, e)
        {
            if (json_integer_value(json_object_get(e, "parole_request_id")) != r)
                continue;
            motion_listed += strcmp(field(e, "kind"), "motion") == 0;
            moot_listed += strcmp(field(e, "status"), "moot") == 0;
        }
        CHECK(motion_listed == 1 && moot_listed == 1);
    }
    json_decref(all);
    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}
