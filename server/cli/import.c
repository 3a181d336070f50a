/* import: CSV in (see import.h). */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "context.h"
#include "csv.h"
#include "db.h"
#include "records.h"

/* The largest file taken (bytes): a firm's whole client list fits many times over. */
#define IMPORT_FILE_MAX (64 * 1024 * 1024)

/* What an import run counts and remembers. */
struct import_run {
    struct db *db;
    struct op_context ctx;
    json_t *refs;   /* clients.csv's `ref` -> the new client's id */
    int64_t errors; /* rows refused */
    int64_t stored;
    int progress; /* standard error is a terminal */
};

/* The whole file at path as a new string (length in *len), or NULL after printing why. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "paroletrack: cannot read %s\n", path);
        goto out;
    }
    if (size > IMPORT_FILE_MAX) {
        fprintf(stderr, "paroletrack: %s is larger than %d MiB\n", path, IMPORT_FILE_MAX >> 20);
        goto out;
    }
    text = malloc((size_t)size + 1);
    if (text == NULL || fread(text, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "paroletrack: cannot read %s\n", path);
        free(text);
        text = NULL;
        goto out;
    }
    text[size] = '\0';
    *len = (size_t)size;
out:
    if (f != NULL)
        fclose(f);
    return text;
}

/* The field of `spec` named `name`, or NULL. */
static const struct field_spec *field_of(const struct resource_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->table.count; i++)
        if (strcmp(spec->table.fields[i].name, name) == 0)
            return &spec->table.fields[i];
    return NULL;
}

/* A cell as the JSON value its field takes: booleans from true/false/yes/no/1/0, integers,
 * lists split on ";", text as it is. Returns a new value, or NULL when the cell is not one
 * (the field's check then names it: the text is passed on as it is). */
static json_t *cell_value(const struct field_spec *field, const char *cell)
{
    if (field->type == FIELD_BOOL) {
        if (!strcasecmp(cell, "true") || !strcasecmp(cell, "yes") || !strcmp(cell, "1"))
            return json_true();
        if (!strcasecmp(cell, "false") || !strcasecmp(cell, "no") || !strcmp(cell, "0"))
            return json_false();
    } else if (field->type == FIELD_INT || field->type == FIELD_INT_ARRAY) {
        char *end;
        long long n = strtoll(cell, &end, 10);

        if (*cell != '\0' && *end == '\0')
            return field->type == FIELD_INT ? json_integer(n) : json_pack("[I]", n);
    } else if (field->type == FIELD_TEXT_ARRAY) {
        json_t *items = json_array();
        char *copy = strdup(cell), *save = NULL;

        for (char *s = copy ? strtok_r(copy, ";", &save) : NULL; s;
             s = strtok_r(NULL, ";", &save)) {
            while (*s == ' ')
                s++;
            if (*s)
                json_array_append_new(items, json_string(s));
        }
        free(copy);
        return items;
    }
    return json_string(cell);
}

/* Print every field error of a refused row. */
static void report(struct import_run *run, const char *file, int line, const struct problem *p)
{
    json_t *error;
    size_t i;

    run->errors++;
    if (p->errors == NULL || json_array_size(p->errors) == 0) {
        fprintf(stderr, "%s line %d: %s\n", file, line, p->detail);
        return;
    }
    json_array_foreach(p->errors, i, error)
    {
        fprintf(stderr, "%s line %d: %s: %s\n", file, line,
                json_string_value(json_object_get(error, "field")),
                json_string_value(json_object_get(error, "message")));
    }
}

/* Import every row of one file as records of `spec` (parole requests resolve `client_ref`).
 * Rows go through the write path inside the caller's transaction. Returns 0, or -1 when the
 * file itself is refused (its header). */
static int import_file(struct import_run *run, const char *path, const struct resource_spec *spec,
                       int is_requests)
{
    char error[160];
    size_t len = 0, count;
    char *text = read_file(path, &len);
    json_t *records = text ? csv_parse(text, len, error, sizeof(error)) : NULL, *header, *record;
    int rc = -1;
    size_t i;

    if (text != NULL && records == NULL)
        fprintf(stderr, "%s %s\n", path, error);
    if (records == NULL) {
        run->errors++; /* unreadable, or not CSV: said above */
        goto out;
    }
    header = json_object_get(json_array_get(records, 0), "cells");
    /* The header: every column a field of the record, or ref / client_ref. */
    json_array_foreach(header, i, record)
    {
        const char *name = json_string_value(record);

        if (field_of(spec, name) == NULL && !(!is_requests && strcmp(name, "ref") == 0) &&
            !(is_requests && strcmp(name, "client_ref") == 0)) {
            fprintf(stderr, "%s line 1: column %zu, \"%s\", is not a field of %s\n", path, i + 1,
                    name, spec->collection);
            run->errors++;
        }
    }
    if (json_array_size(records) == 0 || run->errors > 0)
        goto out;
    count = json_array_size(records) - 1;
    for (i = 1; i <= count; i++) {
        const json_t *row = json_array_get(records, i), *cells = json_object_get(row, "cells");
        int line = (int)json_integer_value(json_object_get(row, "line"));
        json_t *body = json_object(), *stored, *cell;
        const char *ref = NULL;
        struct problem p;
        size_t c;

        problem_init(&p);
        if (json_array_size(cells) != json_array_size(header))
            problem_set(&p, PROBLEM_BAD_REQUEST, "has %zu cells; the header has %zu",
                        json_array_size(cells), json_array_size(header));
        json_array_foreach(cells, c, cell)
        {
            const char *name = json_string_value(json_array_get(header, c));
            const char *value = json_string_value(cell);
            const struct field_spec *field = name ? field_of(spec, name) : NULL;

            if (name == NULL || value == NULL || value[0] == '\0')
                continue; /* an empty cell: the field is left out */
            if (strcmp(name, "ref") == 0) {
                ref = value;
            } else if (strcmp(name, "client_ref") == 0) {
                json_t *id = json_object_get(run->refs, value);

                if (id == NULL)
                    problem_add_field(&p, "client_ref", "names no ref of the clients file");
                else
                    json_object_set(body, "client_id", id);
            } else if (field != NULL) {
                json_object_set_new(body, name, cell_value(field, value));
            }
        }
        if (ref != NULL && json_object_get(run->refs, ref) != NULL)
            problem_add_field(&p, "ref", "is also on an earlier line");
        stored = p.kind == PROBLEM_NONE && !problem_has_field_errors(&p)
                     ? resource_create(run->db, spec, 0, body, &run->ctx, &p)
                     : NULL;
        if (stored == NULL) {
            if (p.kind == PROBLEM_NONE)
                problem_set(&p, PROBLEM_VALIDATION, "refused");
            report(run, path, line, &p);
            if (!db_in_transaction(run->db)) { /* the whole import is lost: stop here */
                json_decref(body);
                problem_clear(&p);
                break;
            }
        } else {
            run->stored++;
            if (ref != NULL)
                json_object_set(run->refs, ref, json_object_get(stored, "id"));
        }
        if (run->progress)
            fprintf(stderr, "\r%s: %zu of %zu rows", path, i, count);
        json_decref(stored);
        json_decref(body);
        problem_clear(&p);
    }
    if (run->progress)
        fprintf(stderr, "\n");
    rc = 0;
out:
    json_decref(records);
    free(text);
    return rc;
}

int cli_import(const struct cli_options *o)
{
    struct import_run run = {.refs = json_object(), .progress = isatty(STDERR_FILENO)};
    struct problem p;
    int code = 1;

    if (o->db == NULL || o->clients_csv == NULL) {
        fprintf(stderr, "usage: paroletrack import --db FILE --clients clients.csv "
                        "[--requests requests.csv] [--dry-run]\n");
        json_decref(run.refs);
        return 2;
    }
    run.db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (run.db == NULL) {
        json_decref(run.refs);
        return 1;
    }
    problem_init(&p);
    context_init(&run.ctx);
    run.ctx.actor.type = ACTOR_CLI;
    snprintf(run.ctx.actor.label, sizeof(run.ctx.actor.label), "import");
    /* One transaction: every row or none. */
    if (db_begin_write(run.db, &p) != 0) {
        fprintf(stderr, "paroletrack: %s\n", p.detail);
        goto out;
    }
    if (import_file(&run, o->clients_csv, &clients_resource, 0) == 0 && run.errors == 0 &&
        o->requests_csv != NULL)
        import_file(&run, o->requests_csv, &parole_requests_resource, 1);
    if (run.errors > 0 || o->dry_run) {
        db_rollback(run.db);
        if (run.errors > 0)
            fprintf(stderr, "paroletrack: %lld problem(s); nothing was imported\n",
                    (long long)run.errors);
        else
            printf("dry run: %lld record(s) would be imported\n", (long long)run.stored);
        code = run.errors > 0 ? 1 : 0;
    } else if (db_commit(run.db, &p) != 0) {
        fprintf(stderr, "paroletrack: %s; nothing was imported\n", p.detail);
    } else {
        printf("imported %lld record(s)\n", (long long)run.stored);
        code = 0;
    }
out:
    problem_clear(&p);
    json_decref(run.refs);
    db_close(run.db);
    return code;
}
