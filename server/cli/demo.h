/* demo: the fictional data set behind `paroletrack demo` (demo/demo-data.json, embedded at
 * build time). Dates in it are offsets from today ("@-120", "@+12T09:30") so the demo always
 * shows every stage. It is only ever loaded into a fresh database this module names itself. */
#ifndef PAROLETRACK_DEMO_H
#define PAROLETRACK_DEMO_H

#include <stddef.h>

#include "db.h"
#include "problem.h"

/* Create a fresh private directory under $TMPDIR (or /tmp) and write the path of the demo
 * database inside it into out. Returns 0 or -1. */
int demo_make_path(char *out, size_t out_size);

/* Load every client, parole request and event of the data set through the same validation as
 * the API. Returns 0, or -1 with the first problem in *p. */
int demo_load(struct db *db, struct problem *p);

/* Create the demo's staff accounts with generated passwords and print their logins on
 * standard error (a paralegal, who needs no second factor, and an admin, who enrols one at first
 * sign-in). Returns 0 or -1 with *p set. */
int demo_create_users(struct db *db, struct problem *p);

/* Replace every "@D" / "@DTHH:MM" string inside value (recursively) with the date D days from
 * today / that local time in the firm's zone with its offset. Exposed for tests. */
void demo_resolve_dates(json_t *value, const char *today);

#endif
