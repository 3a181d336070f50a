/* calendar: the RFC 5545 rendering of computed deadlines (see calendar.h). A domain module:
 * it depends on ical (content lines), dates and text_buffer only, never on the request, the caller
 * or the database; the feed routes that serve it are in calendar_feed.c. */
#include "calendar.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "ical.h"

/* A new string formatted like printf (caller frees), or NULL when out of memory: event texts
 * are built at their full length, never cut in a fixed buffer (where a cut could fall inside a
 * character). */
__attribute__((format(printf, 1, 2))) static char *format_text(const char *format, ...)
{
    va_list args;
    int length;
    char *out;

    va_start(args, format);
    length = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (length < 0 || (out = malloc((size_t)length + 1)) == NULL)
        return NULL;
    va_start(args, format);
    vsnprintf(out, (size_t)length + 1, format, args);
    va_end(args);
    return out;
}

/* "YYYY-MM-DD" -> "YYYYMMDD"; "YYYY-MM-DDTHH:MM:SSZ" -> "YYYYMMDDTHHMMSSZ". */
static void compact(const char *in, char *out, size_t size)
{
    size_t n = 0;

    for (; *in && n + 1 < size; in++)
        if (*in != '-' && *in != ':')
            out[n++] = *in;
    out[n] = '\0';
}

/* The local wall-clock time of an instant in the firm's zone as "YYYYMMDDTHHMMSS", and its
 * offset from UTC in seconds. */
static long local_of(time_t instant, char out[20])
{
    struct tm local;

    localtime_r(&instant, &local);
    strftime(out, 20, "%Y%m%dT%H%M%S", &local);
    return local.tm_gmtoff;
}

/* "+HHMM" / "-HHMM" of an offset in seconds. */
static void offset_text(long offset, char out[8])
{
    long minutes = (offset < 0 ? -offset : offset) / 60;

    snprintf(out, 8, "%c%02ld%02ld", offset < 0 ? '-' : '+', minutes / 60 % 100, minutes % 60);
}

/* One STANDARD/DAYLIGHT component: the zone's rules from `onset` (local time before it, in the
 * offset `from`) on. */
static void add_observance(struct text_buffer *t, time_t onset, long from)
{
    struct tm after, wall;
    char start[20], from_text[8], to_text[8];
    time_t shifted = onset + from; /* the onset as wall-clock time in the old offset */

    localtime_r(&onset, &after);
    gmtime_r(&shifted, &wall);
    strftime(start, sizeof(start), "%Y%m%dT%H%M%S", &wall);
    offset_text(from, from_text);
    offset_text(after.tm_gmtoff, to_text);
    ical_add_line(t, "BEGIN", after.tm_isdst > 0 ? "DAYLIGHT" : "STANDARD", 0);
    ical_add_line(t, "DTSTART", start, 0);
    ical_add_line(t, "TZOFFSETFROM", from_text, 0);
    ical_add_line(t, "TZOFFSETTO", to_text, 0);
    ical_add_line(t, "TZNAME", after.tm_zone, 1);
    ical_add_line(t, "END", after.tm_isdst > 0 ? "DAYLIGHT" : "STANDARD", 0);
}

/* A VTIMEZONE for the firm's zone covering [first, last] (epoch seconds): its offset at the
 * start, then every change of offset found day by day and pinned to the second. */
static void add_vtimezone(struct text_buffer *t, const char *zone, time_t first, time_t last)
{
    time_t day, start = first - 86400 * 366;
    struct tm probe;
    long offset;

    ical_add_line(t, "BEGIN", "VTIMEZONE", 0);
    ical_add_line(t, "TZID", zone, 1);
    localtime_r(&start, &probe);
    offset = probe.tm_gmtoff;
    add_observance(t, start, offset);
    for (day = start; day <= last + 86400 * 366; day += 86400) {
        time_t next = day + 86400, low = day, high = next;

        localtime_r(&next, &probe);
        if (probe.tm_gmtoff == offset)
            continue;
        while (high - low > 1) { /* the first second of the new offset */
            time_t mid = low + (high - low) / 2;

            localtime_r(&mid, &probe);
            if (probe.tm_gmtoff == offset)
                low = mid;
            else
                high = mid;
        }
        add_observance(t, high, offset);
        localtime_r(&high, &probe);
        offset = probe.tm_gmtoff;
    }
    ical_add_line(t, "END", "VTIMEZONE", 0);
}

void calendar_writer_init(struct calendar_writer *w, const char *now_utc)
{
    memset(w, 0, sizeof(*w));
    compact(now_utc, w->stamp, sizeof(w->stamp));
}

void calendar_writer_add(struct calendar_writer *w, const struct calendar_event *e)
{
    struct text_buffer *t = &w->events;
    char uid[160], *summary, *description, start[32], end[32], utc[TIMESTAMP_LEN];
    int64_t epoch = 0;

    if (strcmp(e->status, "met") == 0 || strcmp(e->status, "moot") == 0)
        return; /* nothing is due any more */
    snprintf(uid, sizeof(uid), "%s@paroletrack", e->id);
    summary = format_text("PR-%lld: %s", (long long)e->parole_request_id, e->title);
    description = format_text("Parole request PR-%lld\nDeadline: %s (%s)\nRule: %s\nSource: %s, %s",
                              (long long)e->parole_request_id, e->kind, e->status, e->rule_code,
                              e->citation_source ? e->citation_source : "",
                              e->citation_date ? e->citation_date : "");
    ical_add_line(t, "BEGIN", "VEVENT", 0);
    ical_add_line(t, "UID", uid, 0);
    ical_add_line(t, "DTSTAMP", w->stamp, 0);
    if (e->due_at != NULL && dates_parse_timestamp(e->due_at, utc, &epoch) == 0) {
        /* Appointments are written in the firm's zone (a named IANA zone), which the finished
         * feed describes in a VTIMEZONE spanning them. */
        if (w->first == 0 || epoch < w->first)
            w->first = epoch;
        if (epoch > w->last)
            w->last = epoch;
        if (strcmp(dates_timezone_name(), "system") != 0) {
            char property[160];

            snprintf(property, sizeof(property), "DTSTART;TZID=%s", dates_timezone_name());
            local_of((time_t)epoch, start);
            ical_add_line(t, property, start, 0);
            snprintf(property, sizeof(property), "DTEND;TZID=%s", dates_timezone_name());
            local_of((time_t)(epoch + 3600), end); /* an hour by default */
            ical_add_line(t, property, end, 0);
        } else {
            compact(utc, start, sizeof(start));
            dates_format_utc((time_t)(epoch + 3600), utc); /* an hour by default */
            compact(utc, end, sizeof(end));
            ical_add_line(t, "DTSTART", start, 0);
            ical_add_line(t, "DTEND", end, 0);
        }
    } else {
        struct civil_date day;
        char next[DATE_LEN];

        dates_parse(e->due_on, &day);
        compact(e->due_on, start, sizeof(start));
        dates_format(dates_add_days(day, 1), next);
        compact(next, end, sizeof(end));
        ical_add_line(t, "DTSTART;VALUE=DATE", start, 0);
        ical_add_line(t, "DTEND;VALUE=DATE", end, 0);
    }
    if (summary == NULL || description == NULL)
        t->failed = 1;
    ical_add_line(t, "SUMMARY", summary ? summary : "", 1);
    ical_add_line(t, "DESCRIPTION", description ? description : "", 1);
    free(summary);
    free(description);
    ical_add_line(t, "CATEGORIES", e->kind, 1);
    ical_add_line(t, "TRANSP", "TRANSPARENT", 0);
    ical_add_line(t, "END", "VEVENT", 0);
}

char *calendar_writer_finish(struct calendar_writer *w)
{
    struct text_buffer t = {0};

    ical_add_line(&t, "BEGIN", "VCALENDAR", 0);
    ical_add_line(&t, "VERSION", "2.0", 0);
    ical_add_line(&t, "PRODID", "-//paroletrack//deadlines//EN", 0);
    ical_add_line(&t, "CALSCALE", "GREGORIAN", 0);
    ical_add_line(&t, "METHOD", "PUBLISH", 0);
    ical_add_line(&t, "X-WR-CALNAME", "paroletrack deadlines", 1);
    if (w->first != 0 && strcmp(dates_timezone_name(), "system") != 0)
        add_vtimezone(&t, dates_timezone_name(), (time_t)w->first, (time_t)w->last);
    if (w->events.len > 0)
        text_buffer_add(&t, w->events.data, w->events.len);
    ical_add_line(&t, "END", "VCALENDAR", 0);
    if (w->events.failed)
        t.failed = 1;
    text_buffer_free(&w->events);
    if (t.failed) {
        text_buffer_free(&t);
        return NULL;
    }
    return t.data;
}
