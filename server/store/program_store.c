/* program_store: reading and changing parole programs (see program_store.h). */
#include "program_store.h"

#include "listing.h"
#include <stdio.h>
#include <string.h>

#include "deadline_engine.h"
#include "fields.h"
#include "filing_form.h"
#include "identifiers.h"

json_t *program_store_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return deadline_engine_program_json(stmt);
}

json_t *program_store_read(struct db *db, int64_t id, struct problem *p)
{
    return listing_read_one(db, SQL_PROGRAM_GET, id, program_store_row, "program", p);
}

/* Room for a program's code and its NUL. */
#define PROGRAM_CODE_SIZE 40

/* The most exceptions and aliases a program keeps. */
#define PROGRAM_MAX_EXCEPTIONS 8
#define PROGRAM_MAX_ALIASES    16

static const struct field_spec program_fields[] = {
    {.name = "code",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED,
     .max_chars = 32,
     .normalize = identifiers_program},
    {.name = "name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 200},
    {.name = "aliases",
     .type = FIELD_TEXT_ARRAY,
     .max_chars = 32,
     .max_items = PROGRAM_MAX_ALIASES,
     .normalize = identifiers_program},
    {.name = "terminated_on", .type = FIELD_DATE},
    {.name = "citation_source", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 500},
    {.name = "citation_date", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "exceptions",
     .type = FIELD_JSON,
     .max_items = PROGRAM_MAX_EXCEPTIONS,
     .default_json = "[]"},
};
static const char *const program_read_only[] = {"id", "created_at", "updated_at", "version", NULL};
static const struct field_table program_table = {
    program_fields, sizeof(program_fields) / sizeof(program_fields[0]), program_read_only};
/* On a patch the code is read-only too: requests and rules name it. */
static const char *const program_patch_read_only[] = {"id",         "code",    "created_at",
                                                      "updated_at", "version", NULL};
static const struct field_table program_patch_table = {
    program_fields, sizeof(program_fields) / sizeof(program_fields[0]), program_patch_read_only};
static const char *const program_audited[] = {
    "code",          "name",       "aliases", "terminated_on", "citation_source",
    "citation_date", "exceptions", NULL};

/* The exception kinds the engine knows (domain/deadline_compute.c). */
static const char *const exception_kinds[] = {"filing_on_or_before", NULL};

/* Check one termination exception (index i) and add a field error for each bad member. */
static void check_exception(const json_t *exception, size_t i, struct problem *p)
{
    const char *kind = json_string_value(json_object_get(exception, "kind"));
    const char *form = json_string_value(json_object_get(exception, "form"));
    const char *on = json_string_value(json_object_get(exception, "on_or_before"));
    const char *description = json_string_value(json_object_get(exception, "description"));
    struct civil_date date;
    const char *key;
    json_t *value;
    int known = 0;

    if (!json_is_object(exception)) {
        problem_add_field(p, "exceptions", "entry %zu must be an object", i);
        return;
    }
    json_object_foreach((json_t *)exception, key, value)
    {
        if (strcmp(key, "kind") != 0 && strcmp(key, "form") != 0 &&
            strcmp(key, "on_or_before") != 0 && strcmp(key, "description") != 0) {
            char name[64];

            snprintf(name, sizeof(name), "exceptions[%zu].%.30s", i, key);
            problem_add_field(p, name, "is not a member of an exception");
        }
    }
    for (const char *const *k = exception_kinds; *k && kind; k++)
        known |= strcmp(*k, kind) == 0;
    if (!known)
        problem_add_field(p, "exceptions", "entry %zu: kind must be filing_on_or_before", i);
    if (!filing_form_known(form))
        problem_add_field(p, "exceptions", "entry %zu: form must be a filing form such as I-485",
                          i);
    if (on == NULL || dates_parse(on, &date) != 0)
        problem_add_field(p, "exceptions", "entry %zu: on_or_before must be a date YYYY-MM-DD", i);
    if (description == NULL || description[0] == '\0' || fields_utf8_length(description) > 1000)
        problem_add_field(p, "exceptions",
                          "entry %zu: description must be a text of 1 to 1000 characters", i);
}

/* No other program (other than `id`, 0 on a create) has `name` as its code or an alias. */
static int check_name_free(struct db *db, int64_t id, const char *field, const char *name,
                           struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name);
    int64_t taken = 0;
    int rc = db_scalar_int(db, SQL_PROGRAM_NAME_TAKEN, binds, &taken, p);

    json_decref(binds);
    if (rc != 0)
        return -1;
    if (taken)
        problem_add_field(p, field, "%s already names another program", name);
    return 0;
}

/* Check a checked record's exceptions, its termination's sources and that its code and aliases
 * name no other program. Adds field errors to *p; returns -1 only on a store failure. */
static int check_program(struct db *db, int64_t id, const json_t *record, struct problem *p)
{
    const json_t *exceptions = json_object_get(record, "exceptions");
    const json_t *aliases = json_object_get(record, "aliases");
    const char *code = json_string_value(json_object_get(record, "code"));
    json_t *item;
    size_t i;

    if (exceptions != NULL && !json_is_array(exceptions))
        problem_add_field(p, "exceptions", "must be an array of exceptions");
    else
        json_array_foreach(exceptions, i, item) check_exception(item, i, p);
    if (json_array_size(exceptions) > 0 && json_is_null(json_object_get(record, "terminated_on")))
        problem_add_field(p, "exceptions", "only a terminated program has exceptions");
    if (code != NULL && check_name_free(db, id, "code", code, p) != 0)
        return -1;
    json_array_foreach(aliases, i, item)
    {
        char field[32];

        snprintf(field, sizeof(field), "aliases[%zu]", i);
        for (size_t j = 0; j < i; j++)
            if (json_equal(item, json_array_get(aliases, j)))
                problem_add_field(p, field, "repeats an earlier alias");
        if (code != NULL && strcmp(json_string_value(item), code) == 0)
            problem_add_field(p, field, "repeats the code");
        else if (check_name_free(db, id, field, json_string_value(item), p) != 0)
            return -1;
    }
    return 0;
}

/* The program a write reads before and after the change (write_kind.read). */
static json_t *program_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    return program_store_read(db, w->id, p);
}

/* Check the body (create) or merge patch (update) and write the row (write_kind.write). */
static int program_write(struct db *db, struct write_call *w, const json_t *before,
                         struct problem *p)
{
    json_t *record =
        before ? fields_check_patch(&program_patch_table, before, w->input, w->ctx->today, p)
               : fields_check_create(&program_table, w->input, w->ctx->today, p);
    int rc = -1;

    if (record == NULL)
        return -1;
    if (check_program(db, before ? w->id : 0, record, p) != 0 || problem_finish_checks(p) != 0)
        goto out;
    rc = write_store_row(db, w, before, record, SQL_NEXT_ID_PROGRAMS, SQL_PROGRAM_INSERT,
                         SQL_PROGRAM_UPDATE, p);
    if (rc != 0)
        goto out;
    /* The requests whose deadlines move: those naming the program (on a create, requests that
     * kept a program no row had until now). w->arg outlives the record. */
    snprintf(w->arg, PROGRAM_CODE_SIZE, "%s",
             json_string_value(json_object_get(before ? before : record, "code")));
    w->program = w->arg;
out:
    json_decref(record);
    return rc;
}

static const struct write_kind program_kind = {
    .entity = "programs",
    .noun = "program",
    .read = program_write_read,
    .write = program_write,
    .audited = program_audited,
    .ledger = WRITE_LEDGER_PROGRAM,
    .program_member = "code",
};

json_t *program_store_create(struct db *db, const json_t *body, const struct op_context *ctx,
                             struct problem *p)
{
    char code[PROGRAM_CODE_SIZE] = "";
    struct write_call w = {.kind = &program_kind,
                           .mode = WRITE_CREATE,
                           .action = "create",
                           .input = body,
                           .ctx = ctx,
                           .arg = code};

    if (!json_is_object(body)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a program must be a JSON object");
        return NULL;
    }
    return write_run(db, &w, p);
}

json_t *program_store_patch(struct db *db, int64_t id, const json_t *patch,
                            const struct if_match *if_match, const struct op_context *ctx,
                            struct problem *p)
{
    char code[PROGRAM_CODE_SIZE] = "";

    return write_patch(db, &program_kind, id, patch, if_match, ctx, code, p);
}

int program_store_resolve(struct db *db, const char *typed, char *code, size_t code_size,
                          struct problem *p)
{
    json_t *binds = json_pack("{s:s}", "program", typed);
    int rc = db_scalar_text(db, SQL_PROGRAM_RESOLVE, binds, code, code_size, p);

    json_decref(binds);
    if (rc != 0)
        return -1;
    return code[0] != '\0';
}

int program_store_codes(struct db *db, char *out, size_t out_size, struct problem *p)
{
    return db_scalar_text(db, SQL_PROGRAM_CODES, NULL, out, out_size, p);
}

json_t *program_store_unknown(struct db *db, struct problem *p)
{
    return db_rows(db, SQL_PROGRAM_UNKNOWN, NULL, NULL, p);
}
