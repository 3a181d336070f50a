/* field_catalogue: GET /api/v1/fields (see field_catalogue.h), the field tables of the
 * writable resources as the dashboard builds its forms from them, and the shared lists (stages,
 * roles, deadline kinds) it would otherwise have to copy. A handler module: it depends on call,
 * fields (the field specs), resources (the resource specs) and the domain lists (stage, role,
 * deadline_kind); nothing depends on it but the route table. */
#include "field_catalogue.h"

#include "deadline_kind.h"
#include "fields.h"
#include "records.h"
#include "role.h"
#include "stage.h"
#include "webhook_event.h"

/* The name of a field type as the catalogue shows it. */
static const char *type_name(enum field_type type)
{
    switch (type) {
    case FIELD_TEXT:
        return "text";
    case FIELD_DATE:
        return "date";
    case FIELD_TIMESTAMP:
        return "timestamp";
    case FIELD_ENUM:
        return "enum";
    case FIELD_BOOL:
        return "boolean";
    case FIELD_INT:
        return "integer";
    case FIELD_TEXT_ARRAY:
        return "text_array";
    case FIELD_INT_ARRAY:
        return "integer_array";
    case FIELD_JSON:
        return "json";
    }
    return "text";
}

/* One field of a table as the catalogue shows it (a new object). */
static json_t *field_json(const struct field_spec *f)
{
    json_t *out = json_pack("{s:s, s:s, s:b}", "name", f->name, "type", type_name(f->type),
                            "required", (f->flags & FIELD_REQUIRED) != 0);

    if (f->flags & FIELD_SINGLE_LINE)
        json_object_set_new(out, "single_line", json_true());
    if (f->type == FIELD_TEXT || f->type == FIELD_TEXT_ARRAY)
        json_object_set_new(out, "max_length", json_integer((json_int_t)f->max_chars));
    if (f->type == FIELD_TEXT_ARRAY || f->type == FIELD_INT_ARRAY)
        json_object_set_new(out, "max_items", json_integer((json_int_t)f->max_items));
    if (f->type == FIELD_INT || f->type == FIELD_INT_ARRAY) {
        json_object_set_new(out, "minimum", json_integer(f->min));
        json_object_set_new(out, "maximum", json_integer(f->max));
    }
    if (f->type == FIELD_DATE && (f->flags & FIELD_NOT_FUTURE))
        json_object_set_new(out, "not_future", json_true());
    if (f->choices != NULL) {
        json_t *choices = json_array();

        for (const char *const *c = f->choices; *c; c++)
            json_array_append_new(choices, json_string(*c));
        json_object_set_new(out, "choices", choices);
    }
    if (f->default_choice != NULL)
        json_object_set_new(out, "default", json_string(f->default_choice));
    else if (f->default_json != NULL)
        json_object_set_new(out, "default", json_loads(f->default_json, JSON_DECODE_ANY, NULL));
    else if (f->type == FIELD_BOOL)
        json_object_set_new(out, "default", json_false());
    else if (f->type == FIELD_TEXT_ARRAY || f->type == FIELD_INT_ARRAY)
        json_object_set_new(out, "default", json_array());
    return out;
}

/* The stages in order, each with whether it closes the request (a new array). */
static json_t *stages_json(void)
{
    json_t *out = json_array();

    for (int s = 0; s < STAGE__MAX; s++)
        json_array_append_new(out, json_pack("{s:s, s:b}", "name", stage_names[s], "closed",
                                             stage_is_closed((enum stage)s)));
    return out;
}

/* The roles in order, each with what it allows (a new array). */
static json_t *roles_json(void)
{
    json_t *out = json_array();

    for (int r = 0; r < ROLE__MAX; r++)
        json_array_append_new(
            out, json_pack("{s:s, s:b, s:b, s:b, s:b}", "name", role_names[r], "needs_totp",
                           role_needs_totp((enum role)r), "may_write", role_may_write((enum role)r),
                           "assignable_attorney", role_is_assignable_attorney((enum role)r),
                           "assignable_paralegal", role_is_assignable_paralegal((enum role)r)));
    return out;
}

/* The deadline kinds in order (a new array). */
static json_t *deadline_kinds_json(void)
{
    json_t *out = json_array();

    for (int k = 0; k < DEADLINE_KIND__MAX; k++)
        json_array_append_new(out, json_pack("{s:s}", "name", deadline_kind_names[k]));
    return out;
}

/* The change webhook types an endpoint may subscribe to, in order (a new array of names). */
static json_t *webhook_event_types_json(void)
{
    json_t *out = json_array();

    for (size_t i = 0; webhook_event_types[i] != NULL; i++)
        json_array_append_new(out, json_string(webhook_event_types[i]));
    return out;
}

void field_catalogue_get(struct call *call, struct call_reply *reply)
{
    static const struct resource_spec *const specs[] = {
        &clients_resource,     &parole_requests_resource, &filings_resource,
        &rfes_resource,        &interviews_resource,      &decisions_resource,
        &expirations_resource, &fee_notices_resource,     &entries_resource};
    json_t *out;

    if (call_refuse_query(call->request, &call->p) != 0)
        return;
    out = json_object();
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        json_t *fields = json_array();

        for (size_t f = 0; f < specs[i]->table.count; f++)
            json_array_append_new(fields, field_json(&specs[i]->table.fields[f]));
        json_object_set_new(out, specs[i]->collection, fields);
    }
    json_object_set_new(out, "stages", stages_json());
    json_object_set_new(out, "roles", roles_json());
    json_object_set_new(out, "deadline_kinds", deadline_kinds_json());
    json_object_set_new(out, "webhook_event_types", webhook_event_types_json());
    call_reply_json(reply, 200, out);
}
