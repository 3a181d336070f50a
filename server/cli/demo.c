/* demo: loads the embedded demo data set through the resource engine. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "passwords.h"
#include "records.h"
#include "users.h"

extern const char demo_data_json[];

int demo_make_path(char *out, size_t out_size)
{
    const char *tmp = getenv("TMPDIR");
    char dir[400];

    snprintf(dir, sizeof(dir), "%s/paroletrack-demo-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    if ((size_t)snprintf(out, out_size, "%s/demo.db", dir) >= out_size)
        return -1;
    return 0;
}

/* The local time `hour:minute` on `date` in the firm's zone as RFC 3339 with its offset. */
static void local_timestamp(struct civil_date date, int hour, int minute, char out[40])
{
    struct tm local = {0};
    time_t instant;
    long offset;

    local.tm_year = date.year - 1900;
    local.tm_mon = date.month - 1;
    local.tm_mday = date.day;
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_isdst = -1;
    instant = mktime(&local);
    localtime_r(&instant, &local);
    offset = local.tm_gmtoff / 60;
    snprintf(out, 40, "%04u-%02u-%02uT%02u:%02u:00%c%02lu:%02lu",
             (unsigned)(local.tm_year + 1900) % 10000u, (unsigned)(local.tm_mon + 1) % 100u,
             (unsigned)local.tm_mday % 100u, (unsigned)local.tm_hour % 100u,
             (unsigned)local.tm_min % 100u, offset < 0 ? '-' : '+',
             (unsigned long)labs(offset) / 60 % 100, (unsigned long)labs(offset) % 60);
}

/* Resolve one "@D" or "@DTHH:MM" string; returns a new string or NULL when it is not one. */
static json_t *resolve_one(const char *text, struct civil_date today)
{
    char *end = NULL;
    long days;
    int hour, minute;
    char out[40];
    struct civil_date date;

    if (text[0] != '@')
        return NULL;
    days = strtol(text + 1, &end, 10);
    if (end == text + 1)
        return NULL;
    date = dates_add_days(today, days);
    if (*end == '\0') {
        dates_format(date, out);
        return json_string(out);
    }
    if (sscanf(end, "T%2d:%2d", &hour, &minute) == 2) {
        local_timestamp(date, hour, minute, out);
        return json_string(out);
    }
    return NULL;
}

/* The value a member becomes: its date when it is a "@N" marker (a new reference), else NULL
 * after resolving the markers inside it. */
static json_t *resolve_member(json_t *member, struct civil_date today, const char *today_text)
{
    json_t *resolved =
        json_is_string(member) ? resolve_one(json_string_value(member), today) : NULL;

    if (resolved == NULL)
        demo_resolve_dates(member, today_text);
    return resolved;
}

void demo_resolve_dates(json_t *value, const char *today_text)
{
    struct civil_date today;
    const char *key;
    json_t *member, *resolved;
    size_t i;

    if (dates_parse(today_text, &today) != 0)
        return;
    if (json_is_object(value)) {
        json_object_foreach(value, key, member)
        {
            if ((resolved = resolve_member(member, today, today_text)) != NULL)
                json_object_set_new(value, key, resolved);
        }
    } else if (json_is_array(value)) {
        json_array_foreach(value, i, member)
        {
            if ((resolved = resolve_member(member, today, today_text)) != NULL)
                json_array_set_new(value, i, resolved);
        }
    }
}

/* Create every record of `items` (an array, may be NULL) under parent_id. */
static int load_children(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                         json_t *items, const struct op_context *ctx, struct problem *p)
{
    json_t *item;
    size_t i;

    json_array_foreach(items, i, item)
    {
        json_t *stored = resource_create(db, spec, parent_id, item, ctx, p);

        if (stored == NULL)
            return -1;
        json_decref(stored);
    }
    return 0;
}

/* Create one parole request of client_id with all its events. */
static int load_request(struct db *db, int64_t client_id, json_t *request,
                        const struct op_context *ctx, struct problem *p)
{
    static const struct {
        const char *key;
        const struct resource_spec *spec;
    } children[] = {
        {"filings", &filings_resource},         {"rfes", &rfes_resource},
        {"interviews", &interviews_resource},   {"decisions", &decisions_resource},
        {"expirations", &expirations_resource}, {"fee_notices", &fee_notices_resource},
    };
    json_t *body = json_deep_copy(request), *stored;
    int64_t id;
    int rc = -1;

    for (size_t i = 0; i < sizeof(children) / sizeof(children[0]); i++)
        json_object_del(body, children[i].key);
    json_object_set_new(body, "client_id", json_integer(client_id));
    stored = resource_create(db, &parole_requests_resource, 0, body, ctx, p);
    if (stored == NULL)
        goto out;
    id = json_integer_value(json_object_get(stored, "id"));
    json_decref(stored);
    for (size_t i = 0; i < sizeof(children) / sizeof(children[0]); i++)
        if (load_children(db, children[i].spec, id, json_object_get(request, children[i].key), ctx,
                          p) != 0)
            goto out;
    rc = 0;
out:
    json_decref(body);
    return rc;
}

int demo_load(struct db *db, struct problem *p)
{
    struct op_context ctx;
    json_error_t error;
    json_t *data = json_loads(demo_data_json, 0, &error), *client;
    size_t i;
    int rc = -1;

    if (data == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "demo data: %s", error.text);
    context_init(&ctx);
    demo_resolve_dates(data, ctx.today);
    json_array_foreach(json_object_get(data, "clients"), i, client)
    {
        json_t *body = json_deep_copy(client), *stored, *request;
        size_t j;
        int64_t client_id;

        json_object_del(body, "requests");
        stored = resource_create(db, &clients_resource, 0, body, &ctx, p);
        json_decref(body);
        if (stored == NULL)
            goto out;
        client_id = json_integer_value(json_object_get(stored, "id"));
        json_decref(stored);
        json_array_foreach(json_object_get(client, "requests"), j, request)
        {
            if (load_request(db, client_id, request, &ctx, p) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    json_decref(data);
    return rc;
}

int demo_create_users(struct db *db, struct problem *p)
{
    static const struct {
        const char *email, *name, *role;
    } people[] = {
        {"paralegal@demo.paroletrack.invalid", "Dana Paralegal", "paralegal"},
        {"admin@demo.paroletrack.invalid", "Avery Admin", "admin"},
    };
    struct op_context ctx;

    context_init(&ctx);
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
        char password[64];
        json_t *body, *user;

        if (passwords_generate(password, sizeof(password)) != 0)
            return problem_set(p, PROBLEM_INTERNAL, "cannot generate a demo password");
        body = json_pack("{s:s, s:s, s:s, s:s}", "email", people[i].email, "name", people[i].name,
                         "role", people[i].role, "password", password);
        user = users_create(db, body, &ctx, p);
        json_decref(body);
        if (user == NULL)
            return -1;
        json_decref(user);
        fprintf(stderr, "paroletrack: demo login (%s): %s / %s\n", people[i].role, people[i].email,
                password);
    }
    return 0;
}
