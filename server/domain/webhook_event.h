/* webhook_event: the types of change webhook an endpoint may subscribe to. The one list: the
 * endpoints' `events` field, the outbox (store/webhook_outbox.c) and the dashboard (through
 * GET /api/v1/fields) use it. A record kind's changes are `<noun>.created`, `.updated` and
 * `.deleted`; besides them `stage.changed`, `deadline.overdue` and `uscis_status.changed`. */
#ifndef PAROLETRACK_WEBHOOK_EVENT_H
#define PAROLETRACK_WEBHOOK_EVENT_H

/* Every event type, NULL-terminated (a choice list), in the order the API lists them. */
extern const char *const webhook_event_types[];

/* The subscription that takes every type, present and future. */
#define WEBHOOK_EVENT_ALL "*"

/* The noun of the change events of the audit trail's entity `entity` ("parole_requests" ->
 * "parole_request"), or NULL when changes of that entity raise no webhook (users, keys, rules).
 * Static. */
const char *webhook_event_noun(const char *entity);

/* True when `name` is one of webhook_event_types. */
int webhook_event_type_known(const char *name);

#endif
