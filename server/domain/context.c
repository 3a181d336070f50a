/* context: making an operation context and naming its actor. Depends on dates only. */
#include "context.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void context_init(struct op_context *ctx)
{
    time_t now = time(NULL);

    memset(ctx, 0, sizeof(*ctx));
    dates_today(now, ctx->today);
    dates_format_utc(now, ctx->now);
    ctx->actor.type = ACTOR_SYSTEM;
    snprintf(ctx->actor.label, sizeof(ctx->actor.label), "system");
}

const char *context_actor_type_name(enum actor_type type)
{
    switch (type) {
    case ACTOR_USER:
        return "user";
    case ACTOR_API_KEY:
        return "api_key";
    case ACTOR_CLI:
        return "cli";
    case ACTOR_SYSTEM:
        break;
    }
    return "system";
}
