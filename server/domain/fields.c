/* fields: the field-table checker. */
#include "fields.h"

#include <stdio.h>
#include <string.h>

size_t fields_utf8_length(const char *text)
{
    size_t n = 0;

    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        if ((*c & 0xC0) != 0x80)
            n++;
    return n;
}

/* True when UTF-8 text holds a control character (C0, DEL, C1) or a line/paragraph separator
 * (U+2028, U+2029). */
static int has_control(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            return 1;
        if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F)
            return 1;
        if (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0xA8 || c[2] == 0xA9))
            return 1;
    }
    return 0;
}

/* True when text is empty or only ASCII white space. */
static int is_blank(const char *text)
{
    for (; *text; text++)
        if (strchr(" \t\r\n", *text) == NULL)
            return 0;
    return 1;
}

/* Check an identifier or code: surrounding white space is dropped, then the field's normaliser
 * decides. Returns the normalised string (new reference) or NULL after adding the error. */
static json_t *check_identifier(const struct field_spec *f, const char *label, const char *text,
                                struct problem *p)
{
    char trimmed[256], normalized[256];
    const char *message = NULL;
    size_t len;

    while (*text == ' ' || *text == '\t')
        text++;
    len = strlen(text);
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0) {
        problem_add_field(p, label, "must not be empty (send null to clear it)");
        return NULL;
    }
    if (len >= sizeof(trimmed)) {
        problem_add_field(p, label, "is too long");
        return NULL;
    }
    memcpy(trimmed, text, len);
    trimmed[len] = '\0';
    if (f->normalize(trimmed, normalized, sizeof(normalized), &message) != 0) {
        problem_add_field(p, label, "%s", message ? message : "has a bad format");
        return NULL;
    }
    return json_string(normalized);
}

/* Check one string against a text field's rules, adding an error named `label` to *p.
 * Returns the normalised string (new reference) or NULL. */
static json_t *check_text(const struct field_spec *f, const char *label, const json_t *value,
                          struct problem *p)
{
    const char *text;

    if (!json_is_string(value)) {
        problem_add_field(p, label, "must be a string");
        return NULL;
    }
    text = json_string_value(value);
    if (strlen(text) != json_string_length(value)) {
        problem_add_field(p, label, "must not contain NUL characters");
        return NULL;
    }
    if (f->normalize != NULL)
        return check_identifier(f, label, text, p);
    if (is_blank(text)) {
        problem_add_field(p, label, "must not be empty (send null to clear it)");
        return NULL;
    }
    if (fields_utf8_length(text) > f->max_chars) {
        problem_add_field(p, label, "must be at most %zu characters", f->max_chars);
        return NULL;
    }
    if ((f->flags & FIELD_SINGLE_LINE) && has_control(text)) {
        problem_add_field(p, label, "must be a single line without control characters");
        return NULL;
    }
    return json_incref((json_t *)value);
}

/* Check a non-null value against its field. Returns the normalised value (new reference), or
 * NULL after adding the field's error to *p. */
static json_t *check_value(const struct field_spec *f, const json_t *value, const char *today,
                           struct problem *p)
{
    struct civil_date date;

    if (json_is_string(value) && strlen(json_string_value(value)) != json_string_length(value)) {
        problem_add_field(p, f->name, "must not contain NUL characters");
        return NULL;
    }

    switch (f->type) {
    case FIELD_TEXT:
        return check_text(f, f->name, value, p);
    case FIELD_DATE:
        if (!json_is_string(value) || dates_parse(json_string_value(value), &date) != 0) {
            problem_add_field(p, f->name, "must be a real calendar date YYYY-MM-DD");
            return NULL;
        }
        if ((f->flags & FIELD_NOT_FUTURE) && strcmp(json_string_value(value), today) > 0) {
            problem_add_field(p, f->name, "must not be after today (%s)", today);
            return NULL;
        }
        return json_incref((json_t *)value);
    case FIELD_TIMESTAMP:
        if (!json_is_string(value) ||
            dates_parse_timestamp(json_string_value(value), NULL, NULL) != 0) {
            problem_add_field(p, f->name,
                              "must be an RFC 3339 timestamp with an offset, like "
                              "2026-03-05T09:30:00-05:00");
            return NULL;
        }
        return json_incref((json_t *)value);
    case FIELD_ENUM:
        if (json_is_string(value))
            for (const char *const *c = f->choices; *c; c++)
                if (strcmp(*c, json_string_value(value)) == 0)
                    return json_incref((json_t *)value);
        {
            char allowed[512] = "";

            for (const char *const *c = f->choices; *c; c++) {
                if (strlen(allowed) + strlen(*c) + 3 >= sizeof(allowed))
                    break;
                if (allowed[0])
                    strcat(allowed, ", ");
                strcat(allowed, *c);
            }
            problem_add_field(p, f->name, "must be one of: %s", allowed);
        }
        return NULL;
    case FIELD_BOOL:
        if (!json_is_boolean(value)) {
            problem_add_field(p, f->name, "must be true or false");
            return NULL;
        }
        return json_incref((json_t *)value);
    case FIELD_INT:
        if (!json_is_integer(value) || json_integer_value(value) < f->min ||
            json_integer_value(value) > f->max) {
            problem_add_field(p, f->name, "must be an integer from %lld to %lld", (long long)f->min,
                              (long long)f->max);
            return NULL;
        }
        return json_incref((json_t *)value);
    case FIELD_INT_ARRAY: {
        json_t *item;
        size_t i, j;

        if (!json_is_array(value) || json_array_size(value) > f->max_items) {
            problem_add_field(p, f->name, "must be an array of at most %zu integers", f->max_items);
            return NULL;
        }
        json_array_foreach(value, i, item)
        {
            char label[96];

            snprintf(label, sizeof(label), "%s[%zu]", f->name, i);
            if (!json_is_integer(item) || json_integer_value(item) < f->min ||
                json_integer_value(item) > f->max) {
                problem_add_field(p, label, "must be an integer from %lld to %lld",
                                  (long long)f->min, (long long)f->max);
                return NULL;
            }
            for (j = 0; j < i; j++)
                if (json_equal(item, json_array_get(value, j))) {
                    problem_add_field(p, label, "repeats an earlier entry");
                    return NULL;
                }
        }
        return json_incref((json_t *)value);
    }
    case FIELD_JSON:
        if ((!json_is_array(value) && !json_is_object(value)) ||
            (json_is_array(value) ? json_array_size(value) : json_object_size(value)) >
                f->max_items) {
            problem_add_field(p, f->name, "must be an array or object of at most %zu entries",
                              f->max_items);
            return NULL;
        }
        return json_incref((json_t *)value);
    case FIELD_TEXT_ARRAY: {
        json_t *out, *item;
        size_t i;
        int bad = 0;

        if (!json_is_array(value)) {
            problem_add_field(p, f->name, "must be an array of strings");
            return NULL;
        }
        if (json_array_size(value) > f->max_items) {
            problem_add_field(p, f->name, "must have at most %zu entries", f->max_items);
            return NULL;
        }
        out = json_array();
        json_array_foreach(value, i, item)
        {
            char label[96];
            json_t *checked;

            snprintf(label, sizeof(label), "%s[%zu]", f->name, i);
            checked = check_text(f, label, item, p);
            if (checked == NULL)
                bad = 1;
            else
                json_array_append_new(out, checked);
        }
        if (bad) {
            json_decref(out);
            return NULL;
        }
        return out;
    }
    }
    return NULL;
}

/* The value a field takes on create when the body leaves it out (new reference). */
static json_t *default_value(const struct field_spec *f)
{
    if (f->default_json != NULL)
        return json_loads(f->default_json, JSON_DECODE_ANY, NULL);
    if (f->type == FIELD_BOOL)
        return json_false();
    if (f->type == FIELD_TEXT_ARRAY)
        return json_array();
    if (f->type == FIELD_ENUM && f->default_choice != NULL)
        return json_string(f->default_choice);
    return json_null();
}

/* True when the field takes a default value on create (and so is never null). */
static int has_default(const struct field_spec *f)
{
    return f->default_json != NULL || f->type == FIELD_BOOL || f->type == FIELD_TEXT_ARRAY ||
           (f->type == FIELD_ENUM && f->default_choice != NULL);
}

static const struct field_spec *find_field(const struct field_table *table, const char *name)
{
    for (size_t i = 0; i < table->count; i++)
        if (strcmp(table->fields[i].name, name) == 0)
            return &table->fields[i];
    return NULL;
}

/* Report every member of body that the table does not accept. */
static void reject_unknown(const struct field_table *table, const json_t *body, struct problem *p)
{
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)body, key, value)
    {
        int read_only = 0;

        (void)value;
        /* a table may list one of its fields as read-only (a code fixed once created) */
        for (const char *const *r = table->read_only; r && *r; r++)
            if (strcmp(*r, key) == 0)
                read_only = 1;
        if (!read_only && find_field(table, key) != NULL)
            continue;
        problem_add_field(p, key, read_only ? "is read-only" : "unknown field");
    }
}

/* Check `candidate` (every field present, some possibly null) and build the normalised record. */
static json_t *check_record(const struct field_table *table, const json_t *candidate,
                            const char *today, struct problem *p)
{
    json_t *record = json_object();

    for (size_t i = 0; i < table->count; i++) {
        const struct field_spec *f = &table->fields[i];
        const json_t *value = json_object_get(candidate, f->name);
        json_t *checked;

        if (value == NULL || json_is_null(value)) {
            if (f->flags & FIELD_REQUIRED) {
                problem_add_field(p, f->name, "is required");
                continue;
            }
            /* Absent on create, or null (RFC 7396: clear): a field with a default takes it. */
            json_object_set_new(record, f->name,
                                value == NULL || has_default(f) ? default_value(f) : json_null());
            continue;
        }
        checked = check_value(f, value, today, p);
        if (checked != NULL)
            json_object_set_new(record, f->name, checked);
    }
    return record;
}

json_t *fields_check_create(const struct field_table *table, const json_t *body, const char *today,
                            struct problem *p)
{
    if (!json_is_object(body)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "the request body must be a JSON object");
        return NULL;
    }
    reject_unknown(table, body, p);
    return check_record(table, body, today, p);
}

json_t *fields_check_patch(const struct field_table *table, const json_t *current,
                           const json_t *patch, const char *today, struct problem *p)
{
    json_t *merged, *record;
    const char *key;
    json_t *value;

    if (!json_is_object(patch)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
        return NULL;
    }
    reject_unknown(table, patch, p);
    merged = json_object();
    for (size_t i = 0; i < table->count; i++) {
        const json_t *stored = json_object_get(current, table->fields[i].name);

        json_object_set(merged, table->fields[i].name, stored ? (json_t *)stored : json_null());
    }
    json_object_foreach((json_t *)patch, key, value)
    {
        if (find_field(table, key) != NULL)
            json_object_set(merged, key, value);
    }
    record = check_record(table, merged, today, p);
    json_decref(merged);
    return record;
}

void fields_check_effective_range(const json_t *record, struct problem *p)
{
    const char *from = json_string_value(json_object_get(record, "effective_from"));
    const char *to = json_string_value(json_object_get(record, "effective_to"));

    if (from && to && strcmp(to, from) <= 0)
        problem_add_field(p, "effective_to", "must be after effective_from");
}
