/* calendar: each user's personal iCalendar feed (RFC 5545) of the deadlines and appointments of
 * the parole requests assigned to them, rendered from the computed deadlines. Events carry the
 * case reference, the deadline kind and the rule, never a client's name, A-number or narrative:
 * feeds end up at third-party calendar providers. Written one event at a time (a writer), so the
 * reader streams the stored deadlines into it. A domain module (ical, dates, text_buffer); the
 * routes that hand out and serve the feed are in calendar_feed. The feed is RFC 5545 text: CRLF
 * lines folded at 75 octets, escaped text, a stable UID per deadline, DTSTAMP, all-day events
 * for dates and appointments in the firm's zone (with its VTIMEZONE). */
#ifndef PAROLETRACK_CALENDAR_H
#define PAROLETRACK_CALENDAR_H

#include <stdint.h>

#include "text_buffer.h"

/* One deadline as an event: borrowed texts (due_at, citation_source and citation_date may be
 * NULL), the API's deadline fields. */
struct calendar_event {
    const char *id, *title, *kind, *status, *due_on, *due_at;
    const char *rule_code, *citation_source, *citation_date;
    int64_t parole_request_id;
};

/* A feed written one event at a time, so its reader need not hold every deadline at once. */
struct calendar_writer {
    struct text_buffer events; /* the VEVENTs so far */
    char stamp[32];            /* DTSTAMP of every event: the feed's "now" */
    int64_t first, last;       /* the earliest and latest appointment (epoch s); 0: none yet */
};

/* Start a feed as of now_utc (RFC 3339 UTC). */
void calendar_writer_init(struct calendar_writer *w, const char *now_utc);

/* Add one event (a met or moot deadline is left out; the texts are copied). */
void calendar_writer_add(struct calendar_writer *w, const struct calendar_event *e);

/* The whole feed as RFC 5545 text (with a VTIMEZONE of the firm's zone spanning the
 * appointments), and the writer emptied. A new string the caller frees; NULL when out of
 * memory. */
char *calendar_writer_finish(struct calendar_writer *w);

#endif
