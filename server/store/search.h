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

/* The least share of a client's name pieces another client's names must hold, with the same
 * date of birth, to be a likely duplicate. */
#define SEARCH_DUPLICATE_MIN_SCORE 0.6

/* The other clients a client record duplicates, inside the caller's transaction. `record` is the
 * client as the write path checked it (plaintext date_of_birth, the blind indexes
 * a_number_index and passport_number_index, family_name, given_name, distinct_from); `id` is its
 * own (left out). `identifiers`: look for another client with its A-number or passport number;
 * `likely`: look for clients with the same date of birth and a name holding at least
 * SEARCH_DUPLICATE_MIN_SCORE of its pieces, except those either side lists in distinct_from.
 * Returns a new array of {client_id, label, matched (a_number, passport_number,
 * name_and_date_of_birth), score}, identifiers first (empty: none), or NULL with *p set. */
json_t *search_duplicates(struct db *db, const json_t *record, int64_t id, int identifiers,
                          int likely, struct problem *p);

#endif
