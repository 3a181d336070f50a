/* Unit tests of the pure deadline computation (domain/deadline_compute.c): a request and its
 * events in, full deadline records out, with literal rows and no database or clock. The
 * store-backed cases (every seeded rule against the real migrations) are in test_deadlines.c. */
#include <string.h>

#include "check.h"
#include "deadline_compute.h"

/* The rules the cases use, shaped as deadline_engine_rules returns them. */
static const char *const rules_text =
    "["
    "{\"id\":1,\"code\":\"rfe_response\",\"kind\":\"rfe_response\",\"program\":null,\"days\":84,"
    " \"mailed_extra_days\":3,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":\"2024-05-01\","
    " \"citation_source\":\"8 CFR "
    "103.2(b)(8)(iv)\",\"citation_date\":\"2023-01-01\",\"version\":1},"
    "{\"id\":2,\"code\":\"rfe_short\",\"kind\":\"rfe_response\",\"program\":null,\"days\":60,"
    " \"mailed_extra_days\":3,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2024-05-01\",\"effective_to\":null,"
    " \"citation_source\":\"test\",\"citation_date\":\"2024-05-01\",\"version\":4},"
    "{\"id\":3,\"code\":\"appointment\",\"kind\":\"appointment\",\"program\":null,\"days\":null,"
    " \"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"notice\",\"citation_date\":\"2023-01-01\",\"version\":1},"
    "{\"id\":4,\"code\":\"reparole_general\",\"kind\":\"reparole_filing\",\"program\":null,"
    " \"days\":90,\"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"general\",\"citation_date\":\"2023-01-01\",\"version\":1},"
    "{\"id\":5,\"code\":\"reparole_u4u\",\"kind\":\"reparole_filing\",\"program\":\"u4u\","
    " \"days\":90,\"mailed_extra_days\":0,\"opens_days_before\":180,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"u4u\",\"citation_date\":\"2023-01-01\",\"version\":2},"
    "{\"id\":6,\"code\":\"parole_end\",\"kind\":\"parole_end\",\"program\":null,\"days\":null,"
    " \"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"I-94\",\"citation_date\":\"2023-01-01\",\"version\":1},"
    "{\"id\":7,\"code\":\"ead_c11\",\"kind\":\"ead_end\",\"program\":null,\"days\":null,"
    " \"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":\"2025-07-04\","
    " \"ead_category\":\"c11\",\"cap_at_parole_end\":true,"
    " \"citation_source\":\"8 CFR 274a.12(c)(11)\",\"citation_date\":\"2023-01-01\",\"version\":1},"
    "{\"id\":10,\"code\":\"ead_c11_hr1\",\"kind\":\"ead_end\",\"program\":null,\"days\":365,"
    " \"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2025-07-04\",\"effective_to\":null,"
    " \"ead_category\":\"c11\",\"cap_at_parole_end\":true,"
    " \"citation_source\":\"Pub. L. 119-21\",\"citation_date\":\"2025-07-04\",\"version\":1},"
    "{\"id\":11,\"code\":\"ead_general\",\"kind\":\"ead_end\",\"program\":null,\"days\":null,"
    " \"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"ead_category\":null,\"cap_at_parole_end\":false,"
    " \"citation_source\":\"8 CFR 274a.13\",\"citation_date\":\"2024-04-01\",\"version\":1},"
    "{\"id\":8,\"code\":\"passport\",\"kind\":\"passport_expiry\",\"program\":null,\"days\":null,"
    " \"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"passport\",\"citation_date\":\"2023-01-01\",\"version\":1},"
    "{\"id\":9,\"code\":\"motion_i290b\",\"kind\":\"motion\",\"program\":null,\"days\":30,"
    " \"mailed_extra_days\":3,\"opens_days_before\":null,\"enabled\":false,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"8 CFR 103.5\",\"citation_date\":\"2023-01-01\",\"version\":1}"
    "]";

/* The rules of this kinds (a second literal: one string has a length limit). */
static const char *const more_rules_text =
    "["
    "{\"id\":12,\"code\":\"missed_appointment\",\"kind\":\"missed_appointment\","
    " \"program\":null,\"days\":null,\"mailed_extra_days\":0,\"opens_days_before\":null,"
    " \"enabled\":true,\"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"8 CFR 103.2(b)(13)\",\"citation_date\":\"2024-04-01\",\"version\":1},"
    "{\"id\":13,\"code\":\"travel_document\",\"kind\":\"travel_by\",\"program\":null,"
    " \"days\":null,\"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"8 CFR 212.5(f)\",\"citation_date\":\"2024-04-01\",\"version\":1},"
    "{\"id\":14,\"code\":\"fee_payment\",\"kind\":\"fee_payment\",\"program\":null,"
    " \"days\":null,\"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"Pub. L. 119-21\",\"citation_date\":\"2025-07-04\",\"version\":1},"
    "{\"id\":15,\"code\":\"asylum_one_year\",\"kind\":\"asylum_one_year\",\"program\":null,"
    " \"days\":null,\"mailed_extra_days\":0,\"opens_days_before\":null,\"enabled\":true,"
    " \"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"8 CFR 208.4(a)(2)\",\"citation_date\":\"2024-04-01\",\"version\":1},"
    "{\"id\":16,\"code\":\"address_change_report\",\"kind\":\"address_change_report\","
    " \"program\":null,\"days\":10,\"mailed_extra_days\":0,\"opens_days_before\":null,"
    " \"enabled\":true,\"effective_from\":\"2000-01-01\",\"effective_to\":null,"
    " \"citation_source\":\"8 CFR 265.1\",\"citation_date\":\"2024-04-01\",\"version\":1}"
    "]";

static json_t *rules;

/* The programs the cases use, shaped as deadline_engine_basis returns them: CHNV terminated
 * with no exception, FRP with the I-485 exception, U4U running. */
static const char *const programs_text =
    "{\"chnv\":{\"code\":\"chnv\",\"terminated_on\":\"2025-04-24\","
    " \"citation_source\":\"90 FR 13611\",\"citation_date\":\"2025-03-25\",\"exceptions\":[]},"
    " \"frp\":{\"code\":\"frp\",\"terminated_on\":\"2026-01-14\","
    " \"citation_source\":\"FR 2025-12-15\",\"citation_date\":\"2025-12-15\","
    " \"exceptions\":[{\"kind\":\"filing_on_or_before\",\"form\":\"I-485\","
    "  \"on_or_before\":\"2025-12-15\",\"description\":\"I-485 filed\"}]},"
    " \"u4u\":{\"code\":\"u4u\",\"terminated_on\":null,\"citation_source\":\"87 FR 25040\","
    " \"citation_date\":\"2022-04-27\",\"exceptions\":[]}}";

static json_t *programs;

/* A parsed JSON literal (the test's own text: never NULL unless the test is wrong). */
static json_t *parse(const char *text)
{
    json_error_t error;
    json_t *value = json_loads(text, 0, &error);

    if (value == NULL)
        fprintf(stderr, "bad test JSON: %s\n", error.text);
    return value;
}

/* The deadlines of a request with the given event arrays (NULL: none), today and now. A new
 * array the caller owns. */
static json_t *compute(const char *request, const char *rfes, const char *interviews,
                       const char *decisions, const char *expirations, const char *filings,
                       const char *today, const char *now)
{
    json_t *values[6] = {parse(request),
                         parse(rfes ? rfes : "[]"),
                         parse(interviews ? interviews : "[]"),
                         parse(decisions ? decisions : "[]"),
                         parse(expirations ? expirations : "[]"),
                         parse(filings ? filings : "[]")};
    struct deadline_compute_input in = {.request = values[0],
                                        .rfes = values[1],
                                        .interviews = values[2],
                                        .decisions = values[3],
                                        .expirations = values[4],
                                        .filings = values[5],
                                        .rules = rules,
                                        .programs = programs,
                                        .today = today,
                                        .now = now};
    json_t *out = deadline_compute_request(&in);

    for (size_t i = 0; i < 6; i++)
        json_decref(values[i]);
    return out;
}

/* The deadline whose id is `id` in all (borrowed), or NULL. */
static json_t *find(const json_t *all, const char *id)
{
    json_t *d;
    size_t i;

    json_array_foreach(all, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "id")), id) == 0)
            return d;
    }
    return NULL;
}

/* A text member of a deadline ("(missing)" when the deadline is, NULL when the member is). */
static const char *field(const json_t *d, const char *name)
{
    return d ? json_string_value(json_object_get(d, name)) : "(missing)";
}

static const char *const request = "{\"id\":7,\"client_id\":3,\"program\":null,"
                                   "\"location\":\"outside_us\",\"passport_expires_on\":null}";

/* RFEs: the full record, the rule in force on the issue date, the mailed days, a response. */
static void test_rfes(void)
{
    json_t *all = compute(request,
                          "[{\"id\":12,\"issued_on\":\"2024-01-31\",\"kind\":\"rfe\","
                          "  \"response_due_on\":null,\"mailed\":false,\"responded_on\":null},"
                          " {\"id\":13,\"issued_on\":\"2024-05-02\",\"kind\":\"rfe\","
                          "  \"response_due_on\":null,\"mailed\":true,"
                          "  \"responded_on\":\"2024-05-20\"}]",
                          NULL, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    json_t *d = find(all, "rfes/12/rfe_response"), *rule = json_object_get(d, "rule");
    json_t *expected = parse("{\"id\":\"rfes/12/rfe_response\",\"kind\":\"rfe_response\","
                             "\"due_on\":\"2024-04-24\",\"due_at\":null,\"opens_on\":null,"
                             "\"status\":\"overdue\",\"parole_request_id\":7,\"client_id\":3,"
                             "\"source\":{\"resource\":\"rfes\",\"id\":12},"
                             "\"rule\":{\"id\":1,\"code\":\"rfe_response\","
                             "\"citation_source\":\"8 CFR 103.2(b)(8)(iv)\","
                             "\"citation_date\":\"2023-01-01\",\"version\":1},"
                             "\"title\":\"RFE response due\",\"met\":false,"
                             "\"due_at_utc\":null,\"program_code\":null,\"terminates\":false,"
                             "\"moot_decision_id\":null,\"basis\":\"computed_maximum\","
                             "\"premature\":false}");

    CHECK(json_array_size(all) == 2);
    CHECK(json_equal(d, expected));
    CHECK(json_integer_value(json_object_get(rule, "version")) == 1);
    /* Issued after the shorter rule took effect: 60 days + 3 mailed; responded: met. */
    d = find(all, "rfes/13/rfe_response");
    CHECK_STR(field(d, "due_on"), "2024-07-04");
    CHECK_STR(field(d, "status"), "met");
    CHECK(json_is_true(json_object_get(d, "met")));
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")), "rfe_short");
    CHECK(json_integer_value(json_object_get(json_object_get(d, "rule"), "version")) == 4);
    json_decref(expected);
    json_decref(all);
}

/* Appointments: firm-local date from the input, met when completed, overdue once past without
 * an outcome (against `now`), none when cancelled. */
static void test_appointments(void)
{
    const char *interviews =
        "[{\"id\":1,\"kind\":\"biometrics\",\"scheduled_at\":\"2024-06-02T03:30:00Z\","
        "  \"scheduled_at_utc\":\"2024-06-02T03:30:00Z\",\"outcome\":\"scheduled\","
        "  \"local_date\":\"2024-06-01\"},"
        " {\"id\":2,\"kind\":\"interview\",\"scheduled_at\":\"2024-05-30T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-05-30T14:00:00Z\",\"outcome\":\"scheduled\","
        "  \"local_date\":\"2024-05-30\"},"
        " {\"id\":3,\"kind\":\"interview\",\"scheduled_at\":\"2024-05-29T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-05-29T14:00:00Z\",\"outcome\":\"completed\","
        "  \"local_date\":\"2024-05-29\"},"
        " {\"id\":4,\"kind\":\"interview\",\"scheduled_at\":\"2024-07-01T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-07-01T14:00:00Z\",\"outcome\":\"cancelled\","
        "  \"local_date\":\"2024-07-01\"}]";
    json_t *all =
        compute(request, NULL, interviews, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    json_t *d = find(all, "interviews/1/biometrics");

    CHECK(json_array_size(all) == 3);
    CHECK_STR(field(d, "due_on"), "2024-06-01");
    CHECK_STR(field(d, "due_at"), "2024-06-02T03:30:00Z");
    CHECK_STR(field(d, "status"), "due_today");
    CHECK_STR(field(d, "title"), "Biometrics appointment");
    CHECK_STR(field(find(all, "interviews/2/interview"), "status"), "overdue");
    CHECK_STR(field(find(all, "interviews/3/interview"), "status"), "met");
    CHECK(find(all, "interviews/4/interview") == NULL);
    json_decref(all);
    /* The same appointment before its time that day is due today, not overdue. */
    all =
        compute(request, NULL, interviews, NULL, NULL, NULL, "2024-05-30", "2024-05-30T12:00:00Z");
    CHECK_STR(field(find(all, "interviews/2/interview"), "status"), "due_today");
    json_decref(all);
}

/* An approval with a parole end: the parole end, the re-parole window (a program's own rule
 * with its opening date, met by a filing after the approval), the EAD capped at the parole end,
 * the client's passport; a disabled rule (motion) makes nothing. */
static void test_approval(void)
{
    const char *u4u = "{\"id\":8,\"client_id\":4,\"program\":\"u4u\",\"location\":\"outside_us\","
                      "\"passport_expires_on\":\"2025-01-15\"}";
    const char *decisions = "[{\"id\":21,\"decided_on\":\"2023-01-10\",\"outcome\":\"approved\","
                            "  \"valid_until\":null,\"mailed\":false}]";
    const char *expirations =
        "[{\"id\":31,\"kind\":\"parole\",\"issued_on\":null,\"expires_on\":\"2025-03-01\"},"
        " {\"id\":32,\"kind\":\"ead\",\"issued_on\":\"2024-06-01\",\"expires_on\":\"2026-01-01\"}]";
    json_t *all = compute(u4u, NULL, NULL, decisions, expirations, NULL, "2024-06-01",
                          "2024-06-01T16:00:00Z");
    json_t *d = find(all, "decisions/21/reparole_filing");

    CHECK_STR(field(d, "due_on"), "2024-12-01");
    CHECK_STR(field(d, "opens_on"), "2024-09-02");
    CHECK_STR(field(d, "status"), "upcoming");
    CHECK(json_is_false(json_object_get(d, "met")));
    CHECK(json_integer_value(json_object_get(json_object_get(d, "rule"), "id")) == 5);
    CHECK(json_integer_value(json_object_get(json_object_get(d, "rule"), "version")) == 2);
    CHECK_STR(field(find(all, "expirations/31/parole_end"), "due_on"), "2025-03-01");
    d = find(all, "expirations/32/ead_end");
    CHECK_STR(field(d, "due_on"), "2025-03-01");
    CHECK_STR(field(d, "title"), "Work permit ends with the parole");
    d = find(all, "clients/4/passport_expiry");
    CHECK_STR(field(d, "due_on"), "2025-01-15");
    CHECK(json_integer_value(json_object_get(json_object_get(d, "source"), "id")) == 4);
    CHECK(json_array_size(all) == 4);
    json_decref(all);
    /* A re-parole filing after the approval meets the window. */
    all = compute(u4u, NULL, NULL, decisions, expirations,
                  "[{\"id\":41,\"kind\":\"re_parole\",\"filed_on\":\"2024-10-01\","
                  "  \"receipt_number\":null}]",
                  "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "decisions/21/reparole_filing"), "status"), "met");
    json_decref(all);
    /* A denial: the motion rule is disabled, so no deadline at all. */
    all = compute(request, NULL, NULL,
                  "[{\"id\":22,\"decided_on\":\"2024-05-01\",\"outcome\":\"denied\","
                  "  \"valid_until\":null,\"mailed\":true}]",
                  NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK(json_array_size(all) == 0);
    json_decref(all);
}

/* An approved request of program `program` with an I-94 until `i94` (NULL: none recorded, the
 * approval abroad not yet used), a work permit to 2027-06-01 (its issue date unknown), and
 * `filings`.
 * Its deadlines on `today`: a new array the caller owns. */
static json_t *approved_in(const char *program, const char *i94, const char *filings,
                           const char *today)
{
    char request_row[256], expirations[512], now[32];

    snprintf(request_row, sizeof(request_row),
             "{\"id\":9,\"client_id\":5,\"program\":\"%s\",\"location\":\"outside_us\","
             "\"passport_expires_on\":null}",
             program);
    if (i94)
        snprintf(expirations, sizeof(expirations),
                 "[{\"id\":51,\"kind\":\"i94\",\"issued_on\":null,\"expires_on\":\"%s\"},"
                 " {\"id\":52,\"kind\":\"ead\",\"issued_on\":null,"
                 "  \"expires_on\":\"2027-06-01\"}]",
                 i94);
    else
        snprintf(expirations, sizeof(expirations), "[]");
    snprintf(now, sizeof(now), "%sT12:00:00Z", today);
    return compute(request_row, NULL, NULL,
                   "[{\"id\":61,\"decided_on\":\"2024-01-10\",\"outcome\":\"approved\","
                   "  \"valid_until\":null,\"mailed\":false}]",
                   expirations, filings, today, now);
}

/* Program terminations (programs rows): CHNV ends a parole that ran past its date on that
 * date, with the program cited and the work permit following, no re-parole window; a parole
 * that ended before it, or a running program, is untouched; FRP's I-485 exception keeps the
 * parole to its own end, or to the I-485 decision when that comes first; one filed after the
 * exception's date does not. */
static void test_program_termination(void)
{
    json_t *all = approved_in("chnv", "2026-08-01", NULL, "2025-04-01");
    json_t *d = find(all, "expirations/51/parole_end");

    CHECK_STR(field(d, "due_on"), "2025-04-24");
    CHECK_STR(field(d, "status"), "upcoming");
    CHECK_STR(field(d, "program_code"), "chnv");
    CHECK(json_is_true(json_object_get(d, "terminates")));
    CHECK_STR(field(d, "title"), "Parole ends: program terminated");
    d = find(all, "expirations/52/ead_end");
    CHECK_STR(field(d, "due_on"), "2025-04-24");
    CHECK_STR(field(d, "program_code"), "chnv");
    CHECK(json_is_false(json_object_get(d, "terminates")));
    CHECK(find(all, "decisions/61/reparole_filing") == NULL);
    json_decref(all);
    /* The day after: overdue, still there. */
    all = approved_in("chnv", "2026-08-01", NULL, "2025-04-25");
    CHECK_STR(field(find(all, "expirations/51/parole_end"), "status"), "overdue");
    json_decref(all);
    /* Ended the day before the termination: the termination changes nothing. */
    all = approved_in("chnv", "2025-04-23", NULL, "2025-04-01");
    d = find(all, "expirations/51/parole_end");
    CHECK_STR(field(d, "due_on"), "2025-04-23");
    CHECK(json_is_null(json_object_get(d, "program_code")));
    CHECK(find(all, "decisions/61/reparole_filing") != NULL);
    json_decref(all);
    /* Ending on the termination date itself: terminated (not ended before it). */
    all = approved_in("chnv", "2025-04-24", NULL, "2025-04-01");
    CHECK(json_is_true(json_object_get(find(all, "expirations/51/parole_end"), "terminates")));
    json_decref(all);
    /* Approved abroad, never used: the travel authorisation ends with the program. */
    all = approved_in("chnv", NULL, NULL, "2025-04-01");
    d = find(all, "decisions/61/parole_end");
    CHECK_STR(field(d, "due_on"), "2025-04-24");
    CHECK(json_is_true(json_object_get(d, "terminates")));
    CHECK(json_array_size(all) == 1);
    json_decref(all);
    /* A running program: its own dates. */
    all = approved_in("u4u", "2026-08-01", NULL, "2025-04-01");
    CHECK_STR(field(find(all, "expirations/51/parole_end"), "due_on"), "2026-08-01");
    CHECK(json_is_null(json_object_get(find(all, "expirations/51/parole_end"), "program_code")));
    json_decref(all);
    /* FRP with an I-485 filed on the exception's last day, pending: its own end stands. */
    all = approved_in("frp", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-12-15\",\"receipt_number\":null,\"decided_on\":null}]",
                      "2026-01-20");
    d = find(all, "expirations/51/parole_end");
    CHECK_STR(field(d, "due_on"), "2026-08-01");
    CHECK(json_is_null(json_object_get(d, "program_code")));
    CHECK(json_is_false(json_object_get(d, "terminates")));
    CHECK(find(all, "decisions/61/reparole_filing") == NULL);
    json_decref(all);
    /* ... decided before its own end: parole ends with the I-485 decision, FRP cited. */
    all = approved_in("frp", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-12-01\",\"receipt_number\":null,"
                      "  \"decided_on\":\"2026-03-02\"}]",
                      "2026-01-20");
    d = find(all, "expirations/51/parole_end");
    CHECK_STR(field(d, "due_on"), "2026-03-02");
    CHECK_STR(field(d, "program_code"), "frp");
    CHECK(json_is_false(json_object_get(d, "terminates")));
    CHECK_STR(field(find(all, "expirations/52/ead_end"), "due_on"), "2026-03-02");
    json_decref(all);
    /* An I-485 filed the day after the exception's date, or another form: terminated. */
    all = approved_in("frp", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-12-16\",\"receipt_number\":null,\"decided_on\":null},"
                      " {\"id\":72,\"form\":\"I-589\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-11-01\",\"receipt_number\":null,\"decided_on\":null}]",
                      "2026-01-20");
    d = find(all, "expirations/51/parole_end");
    CHECK_STR(field(d, "due_on"), "2026-01-14");
    CHECK(json_is_true(json_object_get(d, "terminates")));
    json_decref(all);
}

/* An I-485's outcome: approved, the client is a permanent resident and what the parole asked
 * (its end, the work permit, re-parole) is met, the title naming the approval; denied, the
 * FRP parole ends with the decision and stays open; rejected, it was never filed, so FRP's
 * exception does not apply. An approval under another program settles its dates as well. */
static void test_adjustment(void)
{
    json_t *all = approved_in("frp", "2026-08-01",
                              "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                              "  \"filed_on\":\"2025-12-01\",\"receipt_number\":null,"
                              "  \"decided_on\":\"2026-03-02\",\"outcome\":\"approved\"}]",
                              "2026-04-01");
    json_t *d = find(all, "expirations/51/parole_end");

    CHECK_STR(field(d, "due_on"), "2026-03-02");
    CHECK_STR(field(d, "status"), "met");
    CHECK(json_is_true(json_object_get(d, "met")));
    CHECK_STR(field(d, "title"),
              "Parole ends with the decision on the exception filing (settled: I-485 approved "
              "2026-03-02)");
    d = find(all, "expirations/52/ead_end");
    CHECK_STR(field(d, "status"), "met");
    json_decref(all);
    /* Denied: the parole ended with the decision; overdue, not settled. */
    all = approved_in("frp", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-12-01\",\"receipt_number\":null,"
                      "  \"decided_on\":\"2026-03-02\",\"outcome\":\"denied\"}]",
                      "2026-04-01");
    d = find(all, "expirations/51/parole_end");
    CHECK_STR(field(d, "due_on"), "2026-03-02");
    CHECK_STR(field(d, "status"), "overdue");
    CHECK_STR(field(d, "title"), "Parole ends with the decision on the exception filing");
    json_decref(all);
    /* Rejected (returned unfiled): no exception, the program's termination ends the parole. */
    all = approved_in("frp", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-12-01\",\"receipt_number\":null,"
                      "  \"decided_on\":\"2025-12-20\",\"outcome\":\"rejected\"}]",
                      "2026-01-20");
    d = find(all, "expirations/51/parole_end");
    CHECK_STR(field(d, "due_on"), "2026-01-14");
    CHECK(json_is_true(json_object_get(d, "terminates")));
    CHECK_STR(field(d, "status"), "overdue");
    json_decref(all);
    /* A running program: an approved I-485 the day before settles the I-94 end, the work
     * permit and the re-parole window; decided but with no outcome recorded settles nothing. */
    all = approved_in("u4u", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-06-01\",\"receipt_number\":null,"
                      "  \"decided_on\":\"2026-07-31\",\"outcome\":\"approved\"}]",
                      "2026-08-10");
    CHECK_STR(field(find(all, "expirations/51/parole_end"), "status"), "met");
    CHECK_STR(field(find(all, "expirations/51/parole_end"), "due_on"), "2026-08-01");
    CHECK_STR(field(find(all, "decisions/61/reparole_filing"), "status"), "met");
    CHECK_STR(field(find(all, "expirations/52/ead_end"), "status"), "met");
    json_decref(all);
    all = approved_in("u4u", "2026-08-01",
                      "[{\"id\":71,\"form\":\"I-485\",\"kind\":\"initial\","
                      "  \"filed_on\":\"2025-06-01\",\"receipt_number\":null,"
                      "  \"decided_on\":\"2026-07-31\",\"outcome\":null}]",
                      "2026-08-10");
    CHECK_STR(field(find(all, "expirations/51/parole_end"), "status"), "overdue");
    CHECK_STR(field(find(all, "decisions/61/reparole_filing"), "status"), "overdue");
    json_decref(all);
}

/* The end of work permit `ead` (an expirations row, id 81) of an approved U4U request with an
 * I-94 until `i94`, on 2026-01-10: the deadline (borrowed from *all, which the caller frees). */
static json_t *work_permit(const char *ead, const char *i94, json_t **all)
{
    char expirations[512];

    snprintf(expirations, sizeof(expirations),
             "[{\"id\":80,\"kind\":\"i94\",\"issued_on\":null,\"expires_on\":\"%s\","
             "  \"ead_category\":null}, %s]",
             i94, ead);
    *all = compute("{\"id\":9,\"client_id\":5,\"program\":\"u4u\",\"location\":\"outside_us\","
                   "\"passport_expires_on\":null}",
                   NULL, NULL,
                   "[{\"id\":61,\"decided_on\":\"2024-01-10\",\"outcome\":\"approved\","
                   "  \"valid_until\":null,\"mailed\":false}]",
                   expirations, NULL, "2026-01-10", "2026-01-10T12:00:00Z");
    return find(*all, "expirations/81/ead_end");
}

/* Work permits by category: the H.R. 1 one-year cap only on (c)(11) cards issued from
 * 2025-07-04 (matched on the issue date), (c)(11) before it capped at the parole end only,
 * other categories on the card's own date even past the parole end; a card with no category
 * recorded is taken as (c)(11); a terminated program does not cut a (c)(8) card. */
static void test_work_permits(void)
{
    json_t *all;
    json_t *d = work_permit("{\"id\":81,\"kind\":\"ead\",\"issued_on\":\"2025-07-04\","
                            " \"expires_on\":\"2027-07-03\",\"ead_category\":\"c11\"}",
                            "2027-09-01", &all);

    CHECK_STR(field(d, "due_on"), "2026-07-04");
    CHECK_STR(field(d, "title"), "Work permit ends a year after issue");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
              "ead_c11_hr1");
    json_decref(all);
    /* issued the day before the law: no one-year cap, the parole end caps it */
    d = work_permit("{\"id\":81,\"kind\":\"ead\",\"issued_on\":\"2025-07-03\","
                    " \"expires_on\":\"2027-07-02\",\"ead_category\":\"c11\"}",
                    "2027-01-01", &all);
    CHECK_STR(field(d, "due_on"), "2027-01-01");
    CHECK_STR(field(d, "title"), "Work permit ends with the parole");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")), "ead_c11");
    json_decref(all);
    /* (c)(8): the card's own date, past the parole end and more than a year after issue */
    d = work_permit("{\"id\":81,\"kind\":\"ead\",\"issued_on\":\"2025-09-01\","
                    " \"expires_on\":\"2030-08-31\",\"ead_category\":\"c8\"}",
                    "2027-01-01", &all);
    CHECK_STR(field(d, "due_on"), "2030-08-31");
    CHECK_STR(field(d, "title"), "Work permit (EAD) ends");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
              "ead_general");
    json_decref(all);
    /* no category recorded: taken as (c)(11) */
    d = work_permit("{\"id\":81,\"kind\":\"ead\",\"issued_on\":\"2025-09-01\","
                    " \"expires_on\":\"2027-08-31\",\"ead_category\":null}",
                    "2027-01-01", &all);
    CHECK_STR(field(d, "due_on"), "2026-09-01");
    json_decref(all);
    /* a CHNV termination ends the parole and a (c)(11) card with it, not a (c)(8) one */
    all = compute("{\"id\":9,\"client_id\":5,\"program\":\"chnv\",\"location\":\"outside_us\","
                  "\"passport_expires_on\":null}",
                  NULL, NULL,
                  "[{\"id\":61,\"decided_on\":\"2024-01-10\",\"outcome\":\"approved\","
                  "  \"valid_until\":null,\"mailed\":false}]",
                  "[{\"id\":80,\"kind\":\"i94\",\"issued_on\":null,\"expires_on\":\"2026-01-09\"},"
                  " {\"id\":81,\"kind\":\"ead\",\"issued_on\":\"2024-03-01\","
                  "  \"expires_on\":\"2026-02-28\",\"ead_category\":\"c8\"},"
                  " {\"id\":82,\"kind\":\"ead\",\"issued_on\":\"2024-03-01\","
                  "  \"expires_on\":\"2026-02-28\",\"ead_category\":\"c11\"}]",
                  NULL, "2025-03-01", "2025-03-01T12:00:00Z");
    CHECK_STR(field(find(all, "expirations/81/ead_end"), "due_on"), "2026-02-28");
    CHECK(json_is_null(json_object_get(find(all, "expirations/81/ead_end"), "program_code")));
    CHECK_STR(field(find(all, "expirations/82/ead_end"), "due_on"), "2025-04-24");
    CHECK_STR(field(find(all, "expirations/82/ead_end"), "program_code"), "chnv");
    json_decref(all);
}

/* What a decision settles: an unanswered RFE, an appointment not held and a travel-by after a
 * denial turn moot with the decision as their reason; the passport and a motion outlive it. A
 * missed appointment is overdue at once, met by a later one of its kind or by a decision. An
 * approval abroad gives a travel-by on its valid_until, met by the entry. A response date says
 * where it comes from. */
static void test_decisions_settle(void)
{
    const char *req = "{\"id\":7,\"client_id\":3,\"program\":null,\"location\":\"outside_us\","
                      "\"passport_expires_on\":\"2030-01-01\"}";
    const char *rfes = "[{\"id\":12,\"issued_on\":\"2024-03-01\",\"kind\":\"rfe\","
                       "  \"response_due_on\":\"2024-05-20\",\"mailed\":false,"
                       "  \"responded_on\":null}]";
    const char *appointments =
        "[{\"id\":31,\"kind\":\"interview\",\"scheduled_at\":\"2024-07-01T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-07-01T14:00:00Z\",\"outcome\":\"scheduled\","
        "  \"local_date\":\"2024-07-01\"}]";
    const char *travel = "[{\"id\":41,\"kind\":\"travel_document\",\"issued_on\":null,"
                         "  \"expires_on\":\"2024-09-01\"}]";
    const char *denied = "[{\"id\":51,\"decided_on\":\"2024-05-01\",\"outcome\":\"denied\","
                         "  \"valid_until\":null,\"mailed\":false}]";
    json_t *all =
        compute(req, rfes, appointments, NULL, travel, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    json_t *d;

    CHECK_STR(field(find(all, "rfes/12/rfe_response"), "status"), "overdue");
    CHECK_STR(field(find(all, "rfes/12/rfe_response"), "basis"), "notice");
    CHECK_STR(field(find(all, "interviews/31/interview"), "status"), "upcoming");
    json_decref(all);
    all = compute(req, rfes, appointments, denied, travel, NULL, "2024-06-01",
                  "2024-06-01T16:00:00Z");
    for (const char *const *id =
             (const char *const[]){"rfes/12/rfe_response", "interviews/31/interview",
                                   "expirations/41/travel_by", NULL};
         *id; id++) {
        d = find(all, *id);
        CHECK_STR(field(d, "status"), "moot");
        CHECK(json_is_true(json_object_get(d, "met")));
        CHECK(json_integer_value(json_object_get(d, "moot_decision_id")) == 51);
    }
    d = find(all, "clients/3/passport_expiry");
    CHECK_STR(field(d, "status"), "upcoming");
    CHECK(json_is_null(json_object_get(d, "moot_decision_id")));
    json_decref(all);
    /* An RFE issued after the decision (a later one, say) is not settled by it. */
    all = compute(req,
                  "[{\"id\":13,\"issued_on\":\"2024-05-02\",\"kind\":\"rfe\","
                  "  \"response_due_on\":null,\"mailed\":false,\"responded_on\":null}]",
                  NULL, denied, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "rfes/13/rfe_response"), "status"), "upcoming");
    json_decref(all);
    /* A missed interview: overdue at once; a later interview meets it, a cancelled one not. */
    const char *missed =
        "[{\"id\":32,\"kind\":\"interview\",\"scheduled_at\":\"2024-05-30T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-05-30T14:00:00Z\",\"outcome\":\"missed\","
        "  \"local_date\":\"2024-05-30\"}";
    char text[1024];

    snprintf(text, sizeof(text), "%s]", missed);
    all = compute(req, NULL, text, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    d = find(all, "interviews/32/missed_appointment");
    CHECK_STR(field(d, "status"), "overdue");
    CHECK_STR(field(d, "due_at"), "2024-05-30T10:00:00-04:00");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "rule"), "code")),
              "missed_appointment");
    CHECK(find(all, "interviews/32/interview") == NULL);
    json_decref(all);
    snprintf(text, sizeof(text),
             "%s, {\"id\":33,\"kind\":\"interview\",\"scheduled_at\":\"2024-06-20T10:00:00-04:00\","
             " \"scheduled_at_utc\":\"2024-06-20T14:00:00Z\",\"outcome\":\"cancelled\","
             " \"local_date\":\"2024-06-20\"},"
             " {\"id\":34,\"kind\":\"biometrics\",\"scheduled_at\":\"2024-06-21T10:00:00-04:00\","
             " \"scheduled_at_utc\":\"2024-06-21T14:00:00Z\",\"outcome\":\"scheduled\","
             " \"local_date\":\"2024-06-21\"}]",
             missed);
    all = compute(req, NULL, text, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "interviews/32/missed_appointment"), "status"), "overdue");
    json_decref(all);
    snprintf(text, sizeof(text),
             "%s, {\"id\":35,\"kind\":\"interview\",\"scheduled_at\":\"2024-06-20T10:00:00-04:00\","
             " \"scheduled_at_utc\":\"2024-06-20T14:00:00Z\",\"outcome\":\"rescheduled\","
             " \"local_date\":\"2024-06-20\"}]",
             missed);
    all = compute(req, NULL, text, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "interviews/32/missed_appointment"), "status"), "met");
    json_decref(all);
    /* a decision on or after the missed day meets it; one before it does not */
    snprintf(text, sizeof(text), "%s]", missed);
    all = compute(req, NULL, text,
                  "[{\"id\":53,\"decided_on\":\"2024-05-31\",\"outcome\":\"denied\","
                  "  \"valid_until\":null,\"mailed\":false}]",
                  NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "interviews/32/missed_appointment"), "status"), "met");
    json_decref(all);
    all = compute(req, NULL, text, denied, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "interviews/32/missed_appointment"), "status"), "overdue");
    json_decref(all);
    /* missed again: the later appointment still rescheduled the first (met); it has its own */
    snprintf(text, sizeof(text),
             "%s, {\"id\":36,\"kind\":\"interview\",\"scheduled_at\":\"2024-05-31T10:00:00-04:00\","
             " \"scheduled_at_utc\":\"2024-05-31T14:00:00Z\",\"outcome\":\"missed\","
             " \"local_date\":\"2024-05-31\"}]",
             missed);
    all = compute(req, NULL, text, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "interviews/32/missed_appointment"), "status"), "met");
    CHECK_STR(field(find(all, "interviews/36/missed_appointment"), "status"), "overdue");
    json_decref(all);
    /* an appointment recorded after the decision is a new step: not settled by it */
    all = compute(
        req, NULL,
        "[{\"id\":37,\"kind\":\"biometrics\",\"scheduled_at\":\"2024-06-20T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-06-20T14:00:00Z\",\"outcome\":\"scheduled\","
        "  \"local_date\":\"2024-06-20\",\"recorded_on\":\"2024-05-02\"},"
        " {\"id\":38,\"kind\":\"interview\",\"scheduled_at\":\"2024-06-21T10:00:00-04:00\","
        "  \"scheduled_at_utc\":\"2024-06-21T14:00:00Z\",\"outcome\":\"scheduled\","
        "  \"local_date\":\"2024-06-21\",\"recorded_on\":\"2024-05-01\"}]",
        denied, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "interviews/37/biometrics"), "status"), "upcoming");
    CHECK_STR(field(find(all, "interviews/38/interview"), "status"), "moot");
    json_decref(all);
    /* An approval abroad valid until 2024-08-01: travel by then; the entry meets it. */
    const char *abroad = "[{\"id\":52,\"decided_on\":\"2024-05-01\",\"outcome\":\"approved\","
                         "  \"valid_until\":\"2024-08-01\",\"mailed\":false}]";

    all = compute(req, NULL, NULL, abroad, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    d = find(all, "decisions/52/travel_by");
    CHECK_STR(field(d, "due_on"), "2024-08-01");
    CHECK_STR(field(d, "status"), "upcoming");
    CHECK(find(all, "decisions/52/parole_end") == NULL); /* abroad: no parole yet */
    json_decref(all);
    all = compute(req, NULL, NULL, abroad,
                  "[{\"id\":61,\"kind\":\"i94\",\"issued_on\":null,"
                  "  \"expires_on\":\"2026-07-15\"}]",
                  NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    CHECK_STR(field(find(all, "decisions/52/travel_by"), "status"), "met");
    json_decref(all);
}

/* Fee notices: unpaid, due on their due date (overdue after it, even once the request is
 * denied); paid, met. */
static void test_fees(void)
{
    const char *req = "{\"id\":7,\"client_id\":3,\"program\":null,\"location\":\"outside_us\","
                      "\"passport_expires_on\":null}";
    json_t *notices = parse("[{\"id\":71,\"kind\":\"parole_fee\",\"issued_on\":\"2025-11-01\","
                            "  \"due_on\":\"2025-12-01\",\"paid_on\":null},"
                            " {\"id\":72,\"kind\":\"filing_fee\",\"issued_on\":\"2025-11-01\","
                            "  \"due_on\":\"2025-11-20\",\"paid_on\":\"2025-11-10\"}]");
    json_t *values[2] = {parse(req), parse("[{\"id\":51,\"decided_on\":\"2025-11-25\","
                                           "  \"outcome\":\"denied\",\"valid_until\":null,"
                                           "  \"mailed\":false}]")};
    json_t *empty = parse("[]");
    struct deadline_compute_input in = {.request = values[0],
                                        .rfes = empty,
                                        .interviews = empty,
                                        .decisions = values[1],
                                        .expirations = empty,
                                        .filings = empty,
                                        .fee_notices = notices,
                                        .rules = rules,
                                        .programs = programs,
                                        .today = "2025-12-02",
                                        .now = "2025-12-02T12:00:00Z"};
    json_t *all = deadline_compute_request(&in);
    json_t *d = find(all, "fee_notices/71/fee_payment");

    CHECK_STR(field(d, "due_on"), "2025-12-01");
    CHECK_STR(field(d, "status"), "overdue");
    CHECK_STR(field(d, "title"), "Pay the parole fee");
    CHECK(json_is_null(json_object_get(d, "moot_decision_id")));
    CHECK_STR(field(find(all, "fee_notices/72/fee_payment"), "status"), "met");
    json_decref(all);
    /* No notices (NULL, as a caller that loads none passes): no fee deadline. */
    in.fee_notices = NULL;
    all = deadline_compute_request(&in);
    CHECK(find(all, "fee_notices/71/fee_payment") == NULL);
    json_decref(all);
    json_decref(notices);
    json_decref(values[0]);
    json_decref(values[1]);
    json_decref(empty);
}

/* The deadlines of a request whose client row says `client` (JSON members after the request's
 * own), on `today`. A new array. */
static json_t *with_client(const char *client, const char *today)
{
    char request_row[512], now[32];

    snprintf(request_row, sizeof(request_row),
             "{\"id\":7,\"client_id\":3,\"program\":null,\"location\":\"inside_us\","
             "\"passport_expires_on\":null, %s}",
             client);
    snprintf(now, sizeof(now), "%sT12:00:00Z", today);
    return compute(request_row, NULL, NULL, NULL, NULL, NULL, today, now);
}

/* The client's own deadlines: asylum one year after the last arrival (the same date; 29
 * February -> 28 February), not tracked when the firm turned it off, met by any I-589, kept
 * after a denial; the AR-11 ten days after a move, met by an AR-11 filed since (not one
 * before the move). */
static void test_client_deadlines(void)
{
    json_t *all = with_client("\"track_asylum_deadline\":1,\"last_arrived_on\":\"2024-02-29\","
                              "\"address_since\":\"2024-05-25\",\"i589_filed_on\":null,"
                              "\"ar11_filed_on\":\"2024-05-01\"",
                              "2024-06-01");
    json_t *d = find(all, "clients/3/asylum_one_year");

    CHECK_STR(field(d, "due_on"), "2025-02-28");
    CHECK_STR(field(d, "status"), "upcoming");
    CHECK_STR(json_string_value(json_object_get(json_object_get(d, "source"), "resource")),
              "clients");
    d = find(all, "clients/3/address_change_report");
    CHECK_STR(field(d, "due_on"), "2024-06-04");
    CHECK_STR(field(d, "status"), "upcoming");
    json_decref(all);
    all = with_client("\"track_asylum_deadline\":1,\"last_arrived_on\":\"2023-03-15\","
                      "\"address_since\":\"2024-05-25\",\"i589_filed_on\":\"2024-01-02\","
                      "\"ar11_filed_on\":\"2024-05-30\"",
                      "2024-06-01");
    CHECK_STR(field(find(all, "clients/3/asylum_one_year"), "due_on"), "2024-03-15");
    CHECK_STR(field(find(all, "clients/3/asylum_one_year"), "status"), "met");
    CHECK_STR(field(find(all, "clients/3/address_change_report"), "status"), "met");
    json_decref(all);
    all = with_client("\"track_asylum_deadline\":0,\"last_arrived_on\":\"2023-03-15\","
                      "\"address_since\":null,\"i589_filed_on\":null,\"ar11_filed_on\":null",
                      "2024-06-01");
    CHECK(find(all, "clients/3/asylum_one_year") == NULL);
    CHECK(find(all, "clients/3/address_change_report") == NULL);
    CHECK(json_array_size(all) == 0);
    json_decref(all);
    /* no entry recorded: no asylum deadline */
    all = with_client("\"track_asylum_deadline\":1,\"last_arrived_on\":null,"
                      "\"address_since\":null,\"i589_filed_on\":null,\"ar11_filed_on\":null",
                      "2024-06-01");
    CHECK(json_array_size(all) == 0);
    json_decref(all);
}

/* A request renewed by another: any filing of the renewing request inside the window meets
 * the re-parole deadline, one before it leaves it open and premature (its own filings still
 * count only when of kind re_parole). */
static void test_renewal(void)
{
    json_t *values[4] = {parse("{\"id\":8,\"client_id\":4,\"program\":\"u4u\","
                               "\"location\":\"outside_us\",\"passport_expires_on\":null}"),
                         parse("[{\"id\":21,\"decided_on\":\"2023-01-10\","
                               "\"outcome\":\"approved\",\"valid_until\":null,\"mailed\":false}]"),
                         parse("[{\"id\":31,\"kind\":\"parole\",\"issued_on\":null,"
                               "\"expires_on\":\"2025-03-01\"}]"),
                         parse("[]")};
    json_t *early = parse("[{\"id\":91,\"form\":\"I-131\",\"kind\":\"initial\","
                          "  \"filed_on\":\"2024-08-01\"}]");
    json_t *inside = parse("[{\"id\":92,\"form\":\"I-131\",\"kind\":\"initial\","
                           "  \"filed_on\":\"2024-09-10\"}]");
    struct deadline_compute_input in = {.request = values[0],
                                        .rfes = values[3],
                                        .interviews = values[3],
                                        .decisions = values[1],
                                        .expirations = values[2],
                                        .filings = values[3],
                                        .renewal_filings = early,
                                        .rules = rules,
                                        .programs = programs,
                                        .today = "2024-10-01",
                                        .now = "2024-10-01T12:00:00Z"};
    json_t *all = deadline_compute_request(&in);
    json_t *d = find(all, "decisions/21/reparole_filing");

    CHECK_STR(field(d, "opens_on"), "2024-09-02");
    CHECK_STR(field(d, "status"), "upcoming");
    CHECK(json_is_true(json_object_get(d, "premature")));
    json_decref(all);
    in.renewal_filings = inside;
    all = deadline_compute_request(&in);
    d = find(all, "decisions/21/reparole_filing");
    CHECK_STR(field(d, "status"), "met");
    CHECK(json_is_false(json_object_get(d, "premature")));
    json_decref(all);
    /* a renewing request's G-28 is not its re-parole filing */
    json_t *g28 = parse("[{\"id\":93,\"form\":\"G-28\",\"kind\":\"other\","
                        "  \"filed_on\":\"2024-09-10\"}]");

    in.renewal_filings = g28;
    all = deadline_compute_request(&in);
    CHECK_STR(field(find(all, "decisions/21/reparole_filing"), "status"), "upcoming");
    json_decref(all);
    json_decref(g28);
    /* the same filing on the request itself, not of kind re_parole: meets nothing */
    in.renewal_filings = NULL;
    in.filings = inside;
    all = deadline_compute_request(&in);
    CHECK_STR(field(find(all, "decisions/21/reparole_filing"), "status"), "upcoming");
    json_decref(all);
    for (size_t i = 0; i < 4; i++)
        json_decref(values[i]);
    json_decref(early);
    json_decref(inside);
}

/* What the review of issue 12 found: a later decision keeps a program's termination and the
 * approval's re-parole window; a work permit is met only by a newer card of its category; the
 * motion is met by an I-290B; only an I-131 of a renewing request meets the window; an
 * approval abroad under a terminated program travels by the termination. */
static void test_later_decisions_and_cards(void)
{
    const char *chnv = "{\"id\":9,\"client_id\":5,\"program\":\"chnv\",\"location\":\"inside_us\","
                       "\"passport_expires_on\":null}";
    const char *plain = "{\"id\":9,\"client_id\":5,\"program\":null,\"location\":\"inside_us\","
                        "\"passport_expires_on\":null}";
    const char *approved_then_terminated =
        "[{\"id\":61,\"decided_on\":\"2024-01-10\",\"outcome\":\"approved\","
        "  \"valid_until\":null,\"mailed\":false},"
        " {\"id\":62,\"decided_on\":\"2025-06-01\",\"outcome\":\"terminated\","
        "  \"valid_until\":null,\"mailed\":false}]";
    const char *cards =
        "[{\"id\":51,\"kind\":\"i94\",\"issued_on\":null,\"expires_on\":\"2026-08-01\"},"
        " {\"id\":52,\"kind\":\"ead\",\"issued_on\":null,\"expires_on\":\"2026-02-01\","
        "  \"ead_category\":\"c8\"},"
        " {\"id\":53,\"kind\":\"ead\",\"issued_on\":null,\"expires_on\":\"2027-06-01\","
        "  \"ead_category\":\"c11\"}]";
    json_t *all = compute(chnv, NULL, NULL, approved_then_terminated, cards, NULL, "2025-07-01",
                          "2025-07-01T12:00:00Z");
    json_t *d = find(all, "expirations/51/parole_end");

    CHECK_STR(field(d, "due_on"), "2025-04-24");
    CHECK_STR(field(d, "program_code"), "chnv");
    /* the c8 card is not replaced by the c11 one, and a termination does not cut it */
    CHECK_STR(field(find(all, "expirations/52/ead_end"), "status"), "upcoming");
    CHECK_STR(field(find(all, "expirations/52/ead_end"), "due_on"), "2026-02-01");
    CHECK_STR(field(find(all, "expirations/53/ead_end"), "due_on"), "2025-04-24");
    json_decref(all);
    /* the approval's re-parole window outlives a later decision */
    all = compute(plain, NULL, NULL, approved_then_terminated, cards, NULL, "2025-07-01",
                  "2025-07-01T12:00:00Z");
    d = find(all, "decisions/61/reparole_filing");
    CHECK_STR(field(d, "due_on"), "2026-05-03");
    CHECK_STR(field(d, "status"), "upcoming");
    json_decref(all);
    /* a motion (its rule enabled here) is met by an I-290B filed after the denial */
    json_t *with_motion = json_deep_copy(rules), *rule;
    size_t i;

    json_array_foreach(with_motion, i, rule)
    {
        if (strcmp(json_string_value(json_object_get(rule, "code")), "motion_i290b") == 0)
            json_object_set_new(rule, "enabled", json_true());
    }
    json_t *saved = rules;

    rules = with_motion;
    all = compute(plain, NULL, NULL,
                  "[{\"id\":63,\"decided_on\":\"2025-06-01\",\"outcome\":\"denied\","
                  "  \"valid_until\":null,\"mailed\":false}]",
                  NULL,
                  "[{\"id\":71,\"form\":\"I-290B\",\"kind\":\"motion\",\"filed_on\":\"2025-06-20\","
                  "  \"receipt_number\":null,\"decided_on\":null}]",
                  "2025-07-01", "2025-07-01T12:00:00Z");
    CHECK_STR(field(find(all, "decisions/63/motion"), "status"), "met");
    json_decref(all);
    all = compute(plain, NULL, NULL,
                  "[{\"id\":63,\"decided_on\":\"2025-06-01\",\"outcome\":\"denied\","
                  "  \"valid_until\":null,\"mailed\":false}]",
                  NULL, NULL, "2025-07-15", "2025-07-15T12:00:00Z");
    CHECK_STR(field(find(all, "decisions/63/motion"), "status"), "overdue");
    json_decref(all);
    rules = saved;
    json_decref(with_motion);
    /* an approval abroad valid past a CHNV termination: travel by the termination */
    all = compute("{\"id\":9,\"client_id\":5,\"program\":\"chnv\",\"location\":\"outside_us\","
                  "\"passport_expires_on\":null}",
                  NULL, NULL,
                  "[{\"id\":64,\"decided_on\":\"2025-03-01\",\"outcome\":\"approved\","
                  "  \"valid_until\":\"2025-09-01\",\"mailed\":false}]",
                  NULL, NULL, "2025-03-15", "2025-03-15T12:00:00Z");
    d = find(all, "decisions/64/travel_by");
    CHECK_STR(field(d, "due_on"), "2025-04-24");
    CHECK_STR(field(d, "program_code"), "chnv");
    json_decref(all);
}

/* Sorting: by date, then time, then id; a repeated id once. (The API's view of a deadline is
 * written by the ledger's reader: test_deadlines checks it.) */
static void test_sort(void)
{
    json_t *all =
        parse("[{\"id\":\"b\",\"due_on\":\"2024-06-02\",\"due_at\":null},"
              " {\"id\":\"c\",\"due_on\":\"2024-06-01\",\"due_at\":\"2024-06-01T10:00Z\"},"
              " {\"id\":\"a\",\"due_on\":\"2024-06-02\",\"due_at\":null},"
              " {\"id\":\"d\",\"due_on\":\"2024-06-01\",\"due_at\":null},"
              " {\"id\":\"a\",\"due_on\":\"2024-06-02\",\"due_at\":null}]");
    json_t *record = compute(request,
                             "[{\"id\":12,\"issued_on\":\"2024-01-31\",\"kind\":\"noid\","
                             "  \"response_due_on\":null,\"mailed\":false,\"responded_on\":null}]",
                             NULL, NULL, NULL, NULL, "2024-06-01", "2024-06-01T16:00:00Z");
    json_t *d = json_array_get(record, 0);

    deadline_compute_sort(all);
    CHECK(json_array_size(all) == 4);
    CHECK_STR(field(json_array_get(all, 0), "id"), "d");
    CHECK_STR(field(json_array_get(all, 1), "id"), "c");
    CHECK_STR(field(json_array_get(all, 2), "id"), "a");
    CHECK_STR(field(json_array_get(all, 3), "id"), "b");
    /* No NOID rule among these: no deadline. */
    CHECK(d == NULL);
    json_decref(record);
    json_decref(all);
}

int main(void)
{
    rules = parse(rules_text);
    {
        json_t *more = parse(more_rules_text);

        json_array_extend(rules, more);
        json_decref(more);
    }
    programs = parse(programs_text);
    test_rfes();
    test_appointments();
    test_approval();
    test_program_termination();
    test_adjustment();
    test_work_permits();
    test_decisions_settle();
    test_fees();
    test_client_deadlines();
    test_renewal();
    test_later_decisions_and_cards();
    test_sort();
    json_decref(programs);
    json_decref(rules);
    return CHECK_DONE();
}
