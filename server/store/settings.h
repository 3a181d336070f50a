/* settings: the firm's settings (second factor for everyone, session timeouts), stored as
 * key/value rows with defaults in code, and their API. */
#ifndef PAROLETRACK_SETTINGS_H
#define PAROLETRACK_SETTINGS_H

#include <jansson.h>
#include <stddef.h>

#include "context.h"
#include "db.h"
#include "problem.h"

struct settings {
    int require_totp_for_all;       /* default 0: admins and attorneys only */
    int session_idle_minutes;       /* 5..480, default 30 */
    int session_absolute_hours;     /* 1..72, default 12 */
    char updated_at[TIMESTAMP_LEN]; /* "" when never changed */
};

/* Read the settings (defaults for what was never set). Returns 0 or -1 with *p set. */
int settings_read(struct db *db, struct settings *out, struct problem *p);

/* The settings as the API shows them. Returns a new object. */
json_t *settings_to_json(const struct settings *settings);

/* Store the settings row `key` (inserted or replaced) with value, changed at `now`, inside the
 * caller's write transaction. Returns 0 or -1 with *p set. */
int settings_put(struct db *db, const char *key, const char *value, const char *now,
                 struct problem *p);

/* Copy the value of the settings row `key` into out ("" when there is none). Returns 0 or -1
 * with *p set. */
int settings_value(struct db *db, const char *key, char *out, size_t out_size, struct problem *p);

/* Apply a merge patch of settings (422 naming each bad field), audited, in one transaction.
 * Returns the new settings as JSON (caller owns) or NULL with *p set. */
json_t *settings_patch(struct db *db, const json_t *patch, const struct op_context *ctx,
                       struct problem *p);

#endif
