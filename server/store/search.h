/* search: the one search box of the dashboard's header and GET /api/v1/search (issue 15).
 * A query is read as every thing a paralegal types there: a name, forgiving of typos (the
 * clients' folded names in the FTS5 trigram index client_names, migration 0032: candidates
 * that share three-letter pieces with the query, scored by the share of the query's pieces
 * they hold), an A-number with or without its "A", a passport number (both through their
 * blind indexes: a look-up by identifier, counted against the caller's limit and audited as
 * lookups_claim and the clients list do), a receipt number (its filing's parole request) or a
 * request reference ("PR-49", "#49", "request 49"). A store module: it depends on db, lookups,
 * audit, crypto (blind indexes), textfold and identifiers. */
#ifndef PAROLETRACK_SEARCH_H
#define PAROLETRACK_SEARCH_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* The most hits a search answers, and the default. */
#define SEARCH_LIMIT_MAX     50
#define SEARCH_LIMIT_DEFAULT 10
/* The least share of a query's three-letter pieces a name must hold to be a hit. */
#define SEARCH_MIN_SCORE 0.5

/* Search for `query` (raw text as typed; at most 200 characters): the hits, best first, at
 * most `limit`: {"items": [{kind ("client" or "parole_request"), id, client_id, label (the
 * client's name; a request's type after it), matched ("name", "a_number", "passport_number",
 * "receipt_number", "request_id"), score (1 for an exact identifier)}]}, a new object the
 * caller owns; NULL with *p set (400 naming q for an empty query, 429 past the look-up limit).
 * Opens and ends its own transaction (a write one when it looks an identifier up). */
json_t *search_run(struct db *db, const char *query, int64_t limit, const struct op_context *ctx,
                   struct problem *p);

#endif
