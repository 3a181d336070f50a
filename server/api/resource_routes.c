/* resource_routes: the handlers of the generic routes, each a thin wrapper around one store
 * call: list/create/get/patch/delete of a record kind (call->resource, a resource spec from the
 * route table), a request's timeline and history, the audit trail, the firm settings and the
 * health check; a list asked as CSV goes to csv_export. A handler module: it may depend on
 * call, auth, the resource engine, audit, timeline, settings, csv_export and db, never on api. */
#include "resource_routes.h"

#include <stdio.h>

#include "audit.h"
#include "csv_export.h"
#include "settings.h"
#include "timeline.h"

/* The collection path of a resource for Location headers. */
static void collection_path(const struct call *call, const struct resource_spec *spec, char *out,
                            size_t size)
{
    if (spec->is_child)
        snprintf(out, size, "/api/v1/parole-requests/%lld/%s", (long long)call->id,
                 spec->collection);
    else if (spec->is_client_child)
        snprintf(out, size, "/api/v1/clients/%lld/%s", (long long)call->id, spec->collection);
    else
        snprintf(out, size, "/api/v1/%s", spec->collection);
}

/* GET /healthz: 200 {"status": "ok"} when the database answers, else 503. */
void resource_routes_health(struct call *call, struct call_reply *reply)
{
    int64_t count = 0;

    if (db_scalar_int(call->db, SQL_HEALTH, NULL, &count, &call->p) != 0) {
        problem_set(&call->p, PROBLEM_UNAVAILABLE, "the database does not answer");
        return;
    }
    call_reply_json(reply, 200, json_pack("{s:s}", "status", "ok"));
}

/* The parent (request or client) and target record ids of a resource route. */
static int64_t parent_of(const struct call *call, const struct resource_spec *spec)
{
    return spec->is_child || spec->is_client_child ? call->id : 0;
}

static int64_t target_of(const struct call *call, const struct resource_spec *spec)
{
    return spec->is_child || spec->is_client_child ? call->child_id : call->id;
}

/* GET of a resource collection: one page of call->resource. */
void resource_routes_list(struct call *call, struct call_reply *reply)
{
    struct query_param kept[128];
    size_t count;
    char *page;
    int csv = csv_export_wanted(call);

    if (csv < 0)
        return;
    if (csv) {
        csv_export_list(call, parent_of(call, call->resource), reply);
        return;
    }
    count = csv_export_strip_format(call->request, kept, sizeof(kept) / sizeof(kept[0]));
    page = resource_list(call->db, call->resource, parent_of(call, call->resource), kept, count,
                         &call->ctx, &call->p);
    if (page != NULL)
        call_reply_text(reply, 200, page, "application/json");
}

/* POST to a resource collection: 201 with the record, its ETag and Location. */
void resource_routes_create(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL;
    char collection[160];

    if (body != NULL)
        record = resource_create(call->db, call->resource, parent_of(call, call->resource), body,
                                 &call->ctx, &call->p);
    json_decref(body);
    if (record == NULL)
        return;
    collection_path(call, call->resource, collection, sizeof(collection));
    call_reply_record(reply, 201, record, collection);
}

/* GET of one record of call->resource, with its ETag. */
void resource_routes_get(struct call *call, struct call_reply *reply)
{
    json_t *record = resource_get(call->db, call->resource, parent_of(call, call->resource),
                                  target_of(call, call->resource), &call->ctx, &call->p);

    if (record != NULL)
        call_reply_record(reply, 200, record, NULL);
}

/* PATCH (merge patch) of one record of call->resource, under its If-Match. */
void resource_routes_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body, *record = NULL;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body != NULL)
        record =
            resource_patch(call->db, call->resource, parent_of(call, call->resource),
                           target_of(call, call->resource), body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (record != NULL)
        call_reply_record(reply, 200, record, NULL);
}

/* DELETE of one record of call->resource, under its If-Match: 204. */
void resource_routes_delete(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;

    if (call_parse_if_match(call->request->if_match, &if_match, &call->p) != 0)
        return;
    if (resource_delete(call->db, call->resource, parent_of(call, call->resource),
                        target_of(call, call->resource), &if_match, &call->ctx, &call->p) == 0)
        reply->status = 204;
}

/* GET the date-ordered events of parole request call->id. */
void resource_routes_timeline(struct call *call, struct call_reply *reply)
{
    json_t *timeline = timeline_of_request(call->db, call->id, &call->ctx, &call->p);

    if (timeline != NULL)
        call_reply_json(reply, 200, timeline);
}

/* GET one page of the audit events of parole request call->id. */
void resource_routes_history(struct call *call, struct call_reply *reply)
{
    json_t *page = audit_history(call->db, call->id, call->request->query,
                                 call->request->query_count, &call->p);

    if (page != NULL)
        call_reply_json(reply, 200, page);
}

/* GET one page of the audit trail (admin). */
void resource_routes_audit_list(struct call *call, struct call_reply *reply)
{
    json_t *page = audit_list(call->db, call->request->query, call->request->query_count, &call->p);

    if (page != NULL)
        call_reply_json(reply, 200, page);
}

/* GET the firm settings (admin). */
void resource_routes_settings_get(struct call *call, struct call_reply *reply)
{
    struct settings settings;

    if (db_begin_read(call->db, &call->p) == 0) {
        if (settings_read(call->db, &settings, &call->p) == 0)
            call_reply_json(reply, 200, settings_to_json(&settings));
        db_rollback(call->db);
    }
}

/* PATCH the firm settings with a merge patch (admin). */
void resource_routes_settings_patch(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 1, &call->p), *settings = NULL;

    if (body != NULL && !json_is_object(body))
        problem_set(&call->p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
    else if (body != NULL)
        settings = settings_patch(call->db, body, &call->ctx, &call->p);
    json_decref(body);
    if (settings != NULL)
        call_reply_json(reply, 200, settings);
}
