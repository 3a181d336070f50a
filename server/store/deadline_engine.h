/* deadline_engine: the deadline engine's store side. Loads requests' events and the rules
 * (deadline_rules) and computes each deadline through the pure domain/deadline_compute, with
 * the rule and citation behind it. Its one user is the deadline ledger (deadline_ledger.h),
 * which stores the output; readers read the ledger. See docs/deadlines-contract.md. Store layer:
 * depends on db, context, deadline_compute and problem only, never on HTTP. */
#ifndef PAROLETRACK_DEADLINE_ENGINE_H
#define PAROLETRACK_DEADLINE_ENGINE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* What deadline_engine_each hands over for one request: its id (0 for a client with no
 * request: deadline_engine_each_client_alone), its client's id and its deadlines as full records
 * (deadline_compute.h; borrowed, unsorted). Returns 0, or -1 with *p set to stop. */
typedef int (*deadline_engine_each_fn)(int64_t request_id, int64_t client_id, const json_t *records,
                                       void *arg, struct problem *p);

/* Compute the deadlines of every parole request with from_id <= id < to_id (one request:
 * [id, id + 1)), open or closed, with `basis` (borrowed; from deadline_engine_basis), loading a
 * chunk of requests at a time with one query per event kind, and call each() for every request
 * in id order. Runs inside the caller's transaction. Returns 0, or -1 with *p set. */
int deadline_engine_each(struct db *db, const json_t *basis, int64_t from_id, int64_t to_id,
                         const struct op_context *ctx, deadline_engine_each_fn each, void *arg,
                         struct problem *p);

/* Compute the deadlines of every client with from_id <= id < to_id that has no parole request
 * (the client's own: passport, asylum one-year, change of address; computed as a request with
 * no events) and call each() for each such client in id order, with request_id 0. Runs inside
 * the caller's transaction. Returns 0, or -1 with *p set. */
int deadline_engine_each_client_alone(struct db *db, const json_t *basis, int64_t from_id,
                                      int64_t to_id, const struct op_context *ctx,
                                      deadline_engine_each_fn each, void *arg, struct problem *p);

/* What every computation reads besides a request's own rows: {"rules": every deadline_rules
 * row by id (deadline_engine_rule_json), "programs": every programs row by code
 * (deadline_engine_program_json)}. A new object the caller owns, or NULL with *p set. */
json_t *deadline_engine_basis(struct db *db, struct problem *p);

/* The programs row under stmt (SQL_PROGRAM_* or SQL_PROGRAMS_ALL) as the API and the engine see
 * it: aliases and exceptions as arrays. A new reference the caller owns. */
json_t *deadline_engine_program_json(db_stmt *stmt);

/* The deadline_rules row under stmt (a SQL_RULE_* or SQL_RULES_ALL statement) as the API and
 * the engine see it: enabled a boolean, lead_times an array. A new reference the caller owns. */
json_t *deadline_engine_rule_json(db_stmt *stmt);

#endif
