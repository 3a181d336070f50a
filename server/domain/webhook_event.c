/* webhook_event: the change webhook types (see webhook_event.h). */
#include "webhook_event.h"

#include <stddef.h>
#include <string.h>

/* The record kinds whose changes raise webhooks: the audit trail's entity and the events' noun. */
static const struct {
    const char *entity, *noun;
} record_kinds[] = {
    {"clients", "client"},         {"parole_requests", "parole_request"},
    {"filings", "filing"},         {"rfes", "rfe"},
    {"interviews", "interview"},   {"decisions", "decision"},
    {"expirations", "expiration"}, {"fee_notices", "fee_notice"},
    {"entries", "entry"},
};

#define RECORD_EVENTS(noun) noun ".created", noun ".updated", noun ".deleted"

const char *const webhook_event_types[] = {
    RECORD_EVENTS("client"),
    RECORD_EVENTS("parole_request"),
    RECORD_EVENTS("filing"),
    RECORD_EVENTS("rfe"),
    RECORD_EVENTS("interview"),
    RECORD_EVENTS("decision"),
    RECORD_EVENTS("expiration"),
    RECORD_EVENTS("fee_notice"),
    RECORD_EVENTS("entry"),
    "stage.changed",
    "deadline.overdue",
    "uscis_status.changed",
    NULL,
};

const char *webhook_event_noun(const char *entity)
{
    if (entity == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(record_kinds) / sizeof(record_kinds[0]); i++)
        if (strcmp(record_kinds[i].entity, entity) == 0)
            return record_kinds[i].noun;
    return NULL;
}

int webhook_event_type_known(const char *name)
{
    if (name == NULL)
        return 0;
    for (size_t i = 0; webhook_event_types[i] != NULL; i++)
        if (strcmp(webhook_event_types[i], name) == 0)
            return 1;
    return 0;
}
