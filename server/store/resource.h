/* resource: the generic engine behind every REST resource. A resource is described once
 * (its field table, its statements in the SQL catalogue, its list filters and a few hooks) and
 * this module does list / create / get / patch / delete for it, each in one transaction, with
 * optimistic concurrency on `version`. Nothing here knows about HTTP: the API layer and the demo
 * loader both call these functions. */
#ifndef PAROLETRACK_RESOURCE_H
#define PAROLETRACK_RESOURCE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "fields.h"
#include "listing.h"
#include "problem.h"
#include "write.h"

/* The values of a list's `include` parameter ("notes": the narratives), NULL-terminated. */
extern const char *const resource_includes[];
/* The `include` filter of a resource with narratives, to put in its filters. */
#define RESOURCE_INCLUDE_FILTER                                                                    \
    {                                                                                              \
        .name = "include", .kind = FILTER_CHOICE, .choices = resource_includes                     \
    }
/* The filters of a list that has no filters but `include` (NULL-terminated by name). */
extern const struct filter_spec resource_include_only[];

struct resource_spec {
    const char *collection;       /* path segment: "clients", "filings", ... */
    const char *noun;             /* "client", "filing", ... for messages */
    const char *entity;           /* "client", "parole_request", ... in the audit trail */
    const char *sql_table;        /* SQL table, part of each encrypted value's associated data */
    int is_child;                 /* lives under /api/v1/parole-requests/{id}/ */
    int is_client_child;          /* lives under /api/v1/clients/{id}/ (a client's own events) */
    int is_parole_request;        /* its own events belong to its history */
    enum write_ledger ledger;     /* the stored deadlines a change of it moves */
    const char *const *encrypted; /* fields stored encrypted, NULL-terminated */
    const char *const *audited_reads; /* fields whose reading by id appends an audit event */
    /* Narratives (notes, summaries), NULL-terminated: left out of list items unless the list
     * asks `include=notes`, which appends a read_notes audit event. Single reads return them. */
    const char *const *narratives;
    enum sql_id sql_next_id; /* the id the next insert takes */
    struct field_table table;
    const struct filter_spec *filters; /* list filters, NULL-terminated by name */
    const char *const *bool_columns;   /* columns returned as true/false */
    const char *const *json_columns;   /* columns stored as JSON text */
    enum sql_id sql_get, sql_list, sql_insert, sql_update, sql_delete;
    /* When the list filter named list_by_filter is the only filter given (include= aside), the
     * list reads with sql_list_by instead (same binds, columns and order): a statement whose
     * plan starts from that filter's index. NULL: always sql_list. */
    const char *list_by_filter;
    enum sql_id sql_list_by;

    /* Inside the write transaction, after the field checks: cross-field and cross-record rules
     * and derived values (search keys, UTC copies) added to `record`. It runs even when some
     * fields were bad (those are absent from `record` and already in p->errors), so it must
     * skip a rule whose inputs are missing; it adds its own field errors to *p. Returns 0, or -1
     * with another problem (409, 500) in *p. `stored` is the record as it is before an update
     * (NULL on create): a rule that has grown stricter since a value was stored checks that
     * value only when the write changes it. May be NULL. */
    int (*before_write)(struct db *db, json_t *record, const json_t *stored, int64_t parent_id,
                        int64_t id, const struct op_context *ctx, struct problem *p);
    /* Legal records never cascade away: when sql_dependents (given :id) counts more than zero
     * rows, a delete is refused with 409 and dependents_message. has_dependents says whether
     * the resource has such a rule. */
    int has_dependents;
    enum sql_id sql_dependents;
    const char *dependents_message;
    /* Inside the delete transaction, after the dependents rule: other reasons to refuse (409)
     * the delete. May be NULL. */
    int (*before_delete)(struct db *db, int64_t parent_id, int64_t id, struct problem *p);
    /* Add read-only computed members to a record read from the store. May be NULL. */
    void (*decorate)(json_t *record);
    /* How a record shows in a list (e.g. identifiers masked). May be NULL. */
    void (*present_in_list)(json_t *record);
    /* Add list binds that depend on the caller (e.g. assigned_to=me). May be NULL. */
    int (*bind_list)(json_t *binds, const struct op_context *ctx, struct problem *p);
};

/* Create a record under parent_id (ignored for top-level resources) from a JSON body.
 * Returns the stored record (new reference, caller owns) or NULL with the problem in *p. */
json_t *resource_create(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                        const json_t *body, const struct op_context *ctx, struct problem *p);

/* An identifier as lists show it: its last four characters, the rest as asterisks. Returns a
 * new JSON string (null for null) the caller owns. */
json_t *resource_masked(const json_t *value);

/* Read one record. Returns it (caller owns) or NULL with 404 (or another problem) in *p. Reading
 * a record that holds one of spec->audited_reads appends a read_identifiers event. */
json_t *resource_get(struct db *db, const struct resource_spec *spec, int64_t parent_id, int64_t id,
                     const struct op_context *ctx, struct problem *p);

/* Apply a JSON merge patch. if_match (NULL for none) names the versions the client accepts; a
 * stale version is a 412 that changes nothing. Returns the updated record (caller owns) or
 * NULL with the problem in *p. */
json_t *resource_patch(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                       int64_t id, const json_t *patch, const struct if_match *if_match,
                       const struct op_context *ctx, struct problem *p);

/* Delete a record (if_match as for resource_patch). Returns 0, or -1 with the problem in *p. */
int resource_delete(struct db *db, const struct resource_spec *spec, int64_t parent_id, int64_t id,
                    const struct if_match *if_match, const struct op_context *ctx,
                    struct problem *p);

/* One page of the collection as JSON text: {"items": [...], "next_cursor": "..." | null},
 * filtered by the query parameters (limit, cursor and the resource's filters; anything else is
 * a 400). Items carry no narratives unless `include=notes`. A look-up by an identifier filter
 * (FILTER_BLIND) is claimed against the caller's limit (429 too-many-lookups) and audited as
 * lookup_identifiers, `include=notes` as read_notes, each in the same write transaction as the
 * read. A resource whose records nothing reshapes has its items written straight from the
 * rows; the others are built as records first. Returns a new string the caller frees, or NULL
 * with the problem in *p. */
char *resource_list(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                    const struct query_param *query, size_t query_count,
                    const struct op_context *ctx, struct problem *p);

/* Record that the caller exported the collection (under parent_id) as `format` ("csv"): an
 * audit event `export` with the filters used (their names, never their values) and the number
 * of rows, durable before this returns (an export is never answered unrecorded). Returns 0, or
 * -1 with *p set. */
int resource_audit_export(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                          const char *format, const json_t *filters, int64_t rows,
                          const struct op_context *ctx, struct problem *p);

#endif
