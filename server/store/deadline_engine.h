/* deadline_engine: the deadline engine's store side. Loads a request's events and the rules
 * (deadline_rules) and computes, on every read, each deadline through the pure
 * domain/deadline_compute, with its status against today in the firm's time zone and the rule
 * and citation behind it. Nothing is stored: a rule edit or a new event shows at once. See
 * docs/deadlines-contract.md. Store layer: depends on db, context, deadline_compute and problem
 * only, never on HTTP. */
#ifndef PAROLETRACK_DEADLINE_ENGINE_H
#define PAROLETRACK_DEADLINE_ENGINE_H

#include <jansson.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* Every deadline of parole request `request_id` (0: of every open request; assigned_to 0: anyone),
 * sorted by date, as the API shows it (the spec's Deadline), as a new array the caller owns;
 * NULL with *p set on error (404 for an unknown request). Runs inside the caller's read
 * transaction. */
json_t *deadline_engine_compute(struct db *db, int64_t request_id, int64_t assigned_to,
                                const struct op_context *ctx, struct problem *p);

/* The same deadlines as full records (deadline_compute.h: with `met` and the rule's `version`),
 * computed with `rules` (borrowed; from deadline_engine_rules) so a caller that needs the rules
 * too reads them once. A new array the caller owns, or NULL with *p set. */
json_t *deadline_engine_records(struct db *db, const json_t *rules, int64_t request_id,
                                int64_t assigned_to, const struct op_context *ctx,
                                struct problem *p);

/* Every deadline_rules row, by id, as deadline_engine_rule_json makes it. A new array the caller
 * owns, or NULL with *p set. */
json_t *deadline_engine_rules(struct db *db, struct problem *p);

/* The deadline_rules row under stmt (a SQL_RULE_* or SQL_RULES_ALL statement) as the API and
 * the engine see it: enabled a boolean, lead_times an array. A new reference the caller owns. */
json_t *deadline_engine_rule_json(db_stmt *stmt);

#endif
