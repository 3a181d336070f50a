/* calendar: each user's personal iCalendar feed (RFC 5545) of the deadlines and appointments of
 * the parole requests assigned to them, rendered from the computed deadlines. Events carry the
 * case reference, the deadline kind and the rule, never a client's name, A-number or narrative:
 * feeds end up at third-party calendar providers. A domain module (ical, dates, jansson); the
 * routes that hand out and serve the feed are in calendar_feed. */
#ifndef PAROLETRACK_CALENDAR_H
#define PAROLETRACK_CALENDAR_H

#include <jansson.h>

/* The feed of deadlines as RFC 5545 text (CRLF lines folded at 75 octets, escaped text, a
 * stable UID per deadline, DTSTAMP, all-day events for dates and UTC-timed events for
 * appointments). Returns a new string the caller frees. */
char *calendar_render(const json_t *deadlines, const char *now_utc);

#endif
