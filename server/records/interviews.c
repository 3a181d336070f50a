/* interviews: interview and biometrics appointments, each at an instant with its offset. */
#include "records.h"

static const char *const interview_kinds[] = {"interview", "biometrics", NULL};
static const char *const outcomes[] = {"scheduled", "completed", "rescheduled",
                                       "missed",    "cancelled", NULL};

static const struct field_spec interview_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = interview_kinds},
    {.name = "scheduled_at", .type = FIELD_TIMESTAMP, .flags = FIELD_REQUIRED},
    {.name = "location", .type = FIELD_TEXT, .max_chars = 500},
    {.name = "outcome", .type = FIELD_ENUM, .choices = outcomes, .default_choice = "scheduled"},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const interview_read_only[] = {RECORD_READ_ONLY, "parole_request_id", NULL};

/* Store the appointment's instant in UTC too, so instants compare as text in SQL. */
static int interview_before_write(struct db *db, json_t *record, const json_t *stored,
                                  int64_t parent_id, int64_t id, const struct op_context *ctx,
                                  struct problem *p)
{
    const char *scheduled_at = json_string_value(json_object_get(record, "scheduled_at"));
    char utc[TIMESTAMP_LEN];

    (void)db, (void)stored, (void)parent_id, (void)id, (void)ctx, (void)p;
    if (scheduled_at != NULL && dates_parse_timestamp(scheduled_at, utc, NULL) == 0)
        json_object_set_new(record, "scheduled_at_utc", json_string(utc));
    return 0;
}

static const char *const interview_narratives[] = {"notes", NULL};
static const char *const interview_encrypted[] = {"notes", NULL};

const struct resource_spec interviews_resource = {
    .ledger = WRITE_LEDGER_REQUEST,
    .collection = "interviews",
    .entity = "interviews",
    .sql_table = "interviews",
    .encrypted = interview_encrypted,
    .narratives = interview_narratives,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_INTERVIEWS,
    .noun = "interview",
    .is_child = 1,
    .table = {interview_fields, sizeof(interview_fields) / sizeof(interview_fields[0]),
              interview_read_only},
    .sql_get = SQL_INTERVIEW_GET,
    .sql_list = SQL_INTERVIEW_LIST,
    .sql_insert = SQL_INTERVIEW_INSERT,
    .sql_update = SQL_INTERVIEW_UPDATE,
    .sql_delete = SQL_INTERVIEW_DELETE,
    .before_write = interview_before_write,
};
