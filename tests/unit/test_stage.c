/* Unit tests of stage derivation: every transition of a parole request's stage, evaluated by
 * the real SQL against an in-memory database, with the clock held still. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_fixture.h"

/* Patch a record; returns 0 on success. */
static int patch(const struct resource_spec *spec, int64_t parent, int64_t id, const char *json)
{
    struct problem p;
    json_t *body = json_loads(json, 0, NULL), *record;

    problem_init(&p);
    record = resource_patch(db, spec, parent, id, body, NULL, &ctx, &p);
    if (record == NULL)
        fprintf(stderr, "  patch %s failed: %s\n", spec->noun, p.detail);
    json_decref(body);
    problem_clear(&p);
    if (record == NULL)
        return -1;
    json_decref(record);
    return 0;
}

static char stage_buf[32];

/* The stage GET shows for request id. */
static const char *stage_of(int64_t id)
{
    struct problem p;
    json_t *record;

    problem_init(&p);
    record = resource_get(db, &parole_requests_resource, 0, id, &ctx, &p);
    snprintf(stage_buf, sizeof(stage_buf), "%s",
             record ? json_string_value(json_object_get(record, "stage")) : "(error)");
    json_decref(record);
    problem_clear(&p);
    return stage_buf;
}

/* True when the list filtered by stage contains request id (and the filter agrees with GET). */
static int list_has(const char *stage, int64_t id)
{
    struct problem p;
    struct query_param q[] = {{"stage", stage}, {"limit", "200"}};
    json_t *page, *item;
    char *text;
    size_t i;
    int found = 0;

    problem_init(&p);
    text = resource_list(db, &parole_requests_resource, 0, q, 2, &ctx, &p);
    page = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    json_array_foreach(json_object_get(page, "items"), i, item)
    {
        if (json_integer_value(json_object_get(item, "id")) == id)
            found = 1;
    }
    json_decref(page);
    problem_clear(&p);
    return found;
}

#define CHECK_STAGE(id, expected)                                                                  \
    do {                                                                                           \
        CHECK_STR(stage_of(id), expected);                                                         \
        CHECK(list_has(expected, id));                                                             \
    } while (0)

int main(void)
{
    struct problem p;
    int64_t client, request, filing, interview, rfe, expiry, approval;

    problem_init(&p);
    if (fixture_open() != 0)
        return 1;
    set_clock("2026-06-15", "2026-06-15T16:00:00Z");
    client =
        create(&clients_resource, 0, "{\"family_name\":\"Kovalenko\",\"given_name\":\"Olena\"}");
    {
        char body[96];

        snprintf(body, sizeof(body), "{\"client_id\":%lld,\"parole_type\":\"program\"}",
                 (long long)client);
        request = create(&parole_requests_resource, 0, body);
    }
    CHECK_STAGE(request, "draft");
    CHECK(!list_has("filed", request));

    filing = create(&filings_resource, request, "{\"form\":\"I-131\",\"filed_on\":\"2026-03-01\"}");
    CHECK_STAGE(request, "filed");

    CHECK(patch(&filings_resource, request, filing, "{\"receipt_number\":\"IOE0912345678\"}") == 0);
    CHECK_STAGE(request, "receipted");

    /* A biometrics appointment tomorrow 09:00 New York time (13:00Z, EDT). */
    interview = create(&interviews_resource, request,
                       "{\"kind\":\"biometrics\",\"scheduled_at\":\"2026-06-16T09:00:00-04:00\"}");
    CHECK_STAGE(request, "interview_scheduled");
    /* One second after the appointment began it is no longer in the future. */
    set_clock("2026-06-16", "2026-06-16T13:00:01Z");
    CHECK_STAGE(request, "receipted");
    set_clock("2026-06-16", "2026-06-16T12:59:59Z");
    CHECK_STAGE(request, "interview_scheduled");
    CHECK(patch(&interviews_resource, request, interview, "{\"outcome\":\"cancelled\"}") == 0);
    CHECK_STAGE(request, "receipted");
    CHECK(patch(&interviews_resource, request, interview, "{\"outcome\":\"scheduled\"}") == 0);

    /* An open RFE outranks a future appointment. */
    rfe = create(&rfes_resource, request, "{\"issued_on\":\"2026-06-10\",\"mailed\":true}");
    CHECK_STAGE(request, "rfe_open");
    CHECK(patch(&rfes_resource, request, rfe, "{\"responded_on\":\"2026-06-12\"}") == 0);
    CHECK_STAGE(request, "interview_scheduled");

    /* A decision outranks everything before it. */
    approval = create(&decisions_resource, request,
                      "{\"decided_on\":\"2026-06-16\",\"outcome\":\"approved\"}");
    CHECK_STAGE(request, "approved");
    /* An EAD end date is not a parole end date. */
    create(&expirations_resource, request, "{\"kind\":\"ead\",\"expires_on\":\"2027-06-15\"}");
    CHECK_STAGE(request, "approved");
    /* With no parole or I-94 date recorded, an approval abroad only authorises travel (parole
     * starts at entry), but inside the US its validity period is the parole. */
    CHECK(patch(&decisions_resource, request, approval,
                "{\"valid_from\":\"2026-06-16\",\"valid_until\":\"2026-06-20\"}") == 0);
    CHECK(patch(&parole_requests_resource, 0, request, "{\"location\":\"outside_us\"}") == 0);
    CHECK_STAGE(request, "approved");
    CHECK(patch(&parole_requests_resource, 0, request, "{\"location\":\"inside_us\"}") == 0);
    CHECK_STAGE(request, "paroled");
    set_clock("2026-06-21", "2026-06-21T16:00:00Z");
    CHECK_STAGE(request, "expired");
    set_clock("2026-06-16", "2026-06-16T12:59:59Z");
    /* Without the decision, a rescheduled appointment still lies ahead. */
    CHECK(db_exec(db, "DELETE FROM decisions", &p) == 0);
    CHECK(patch(&interviews_resource, request, interview, "{\"outcome\":\"rescheduled\"}") == 0);
    CHECK_STAGE(request, "interview_scheduled");
    approval = create(&decisions_resource, request,
                      "{\"decided_on\":\"2026-06-16\",\"outcome\":\"approved\","
                      "\"valid_from\":\"2026-06-16\",\"valid_until\":\"2026-06-20\"}");
    /* An I-94 that ends today: paroled today, expired tomorrow with no write (a recorded I-94
     * or parole date is THE parole end; the approval's later valid_until no longer counts). */
    expiry =
        create(&expirations_resource, request, "{\"kind\":\"i94\",\"expires_on\":\"2026-06-16\"}");
    CHECK_STAGE(request, "paroled");
    set_clock("2026-06-17", "2026-06-17T04:00:00Z");
    CHECK_STAGE(request, "expired");
    /* A later parole end date (re-parole) makes it paroled again; every end must be past. */
    create(&expirations_resource, request, "{\"kind\":\"parole\",\"expires_on\":\"2027-06-16\"}");
    CHECK_STAGE(request, "paroled");
    CHECK(patch(&expirations_resource, request, expiry, "{\"expires_on\":\"2028-01-01\"}") == 0);
    set_clock("2027-07-01", "2027-07-01T16:00:00Z");
    CHECK_STAGE(request, "paroled");
    set_clock("2028-01-02", "2028-01-02T16:00:00Z");
    CHECK_STAGE(request, "expired");

    /* The latest decision decides. */
    create(&decisions_resource, request,
           "{\"decided_on\":\"2027-08-01\",\"outcome\":\"terminated\"}");
    CHECK_STAGE(request, "terminated");
    create(&decisions_resource, request,
           "{\"decided_on\":\"2027-08-02\",\"outcome\":\"administratively_closed\"}");
    CHECK_STAGE(request, "closed");
    create(&decisions_resource, request,
           "{\"decided_on\":\"2027-08-03\",\"outcome\":\"withdrawn\"}");
    CHECK_STAGE(request, "withdrawn");
    create(&decisions_resource, request, "{\"decided_on\":\"2027-08-04\",\"outcome\":\"denied\"}");
    CHECK_STAGE(request, "denied");

    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}
