/* context: who does an operation, when, and under which request id. Every write and every
 * audited read carries one, from the HTTP layer, the command line or the demo loader. */
#ifndef PAROLETRACK_CONTEXT_H
#define PAROLETRACK_CONTEXT_H

#include <stdint.h>

#include "dates.h"

enum actor_type { ACTOR_SYSTEM, ACTOR_CLI, ACTOR_USER, ACTOR_API_KEY };

struct actor {
    enum actor_type type;
    int64_t id;      /* the user's or key's id; 0 for the command line and the system */
    char label[256]; /* the user's e-mail, the key's name, "cli" or "system" */
};

struct op_context {
    char today[DATE_LEN];    /* the firm-local date */
    char now[TIMESTAMP_LEN]; /* the UTC instant */
    struct actor actor;
    const char *request_id; /* borrowed; NULL outside a request */
};

/* Fill *ctx with the current firm-local date and UTC instant, acting as the system, with no
 * request id (the command line and the HTTP layer set their actor afterwards). */
void context_init(struct op_context *ctx);

/* The name of an actor type as stored and shown ("user", "api_key", "cli", "system"). */
const char *context_actor_type_name(enum actor_type type);

#endif
