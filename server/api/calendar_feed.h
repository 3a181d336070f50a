/* calendar_feed: the routes of each user's calendar feed: a secret URL (its token is the
 * credential) calendar applications subscribe to, served as RFC 5545 text by calendar's writer.
 * A handler module (struct call / call_reply). */
#ifndef PAROLETRACK_CALENDAR_FEED_H
#define PAROLETRACK_CALENDAR_FEED_H

#include "call.h"

/* POST /api/v1/me/calendar-feed: a new feed token (replacing the old one), shown once. */
void calendar_feed_create(struct call *call, struct call_reply *reply);
/* DELETE /api/v1/me/calendar-feed: revoke the feed at once. */
void calendar_feed_revoke(struct call *call, struct call_reply *reply);
/* GET /api/v1/calendar.ics?token=...: the feed (public route; the token is the credential). */
void calendar_feed_get(struct call *call, struct call_reply *reply);

#endif
