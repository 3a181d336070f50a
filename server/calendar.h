/* calendar: each user's personal iCalendar feed (RFC 5545) of the deadlines and appointments of
 * the parole requests assigned to them, at a secret URL calendar applications subscribe to.
 * Events carry the case reference, the deadline kind and the rule, never a client's name,
 * A-number or narrative: feeds end up at third-party calendar providers. */
#ifndef PAROLETRACK_CALENDAR_H
#define PAROLETRACK_CALENDAR_H

#include <jansson.h>

#include "call.h"

/* The feed of deadlines as RFC 5545 text (CRLF lines folded at 75 octets, escaped text, a
 * stable UID per deadline, DTSTAMP, all-day events for dates and UTC-timed events for
 * appointments). Returns a new string the caller frees. */
char *calendar_render(const json_t *deadlines, const char *now_utc);

/* POST /api/v1/me/calendar-feed: a new feed token (replacing the old one), shown once. */
void calendar_feed_create(struct call *call, struct call_reply *reply);
/* DELETE /api/v1/me/calendar-feed: revoke the feed at once. */
void calendar_feed_revoke(struct call *call, struct call_reply *reply);
/* GET /api/v1/calendar.ics?token=...: the feed (public route; the token is the credential). */
void calendar_feed_get(struct call *call, struct call_reply *reply);

#endif
