/* dates: calendar dates (YYYY-MM-DD), RFC 3339 timestamps, and "today" in the firm's time zone.
 * The firm's zone is process-wide: dates_set_timezone() is called once at start-up. */
#ifndef PAROLETRACK_DATES_H
#define PAROLETRACK_DATES_H

#include <stdint.h>
#include <time.h>

#define DATE_LEN      11 /* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

struct civil_date {
    int year;  /* 1900..2199 */
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* True for a leap year of the proleptic Gregorian calendar. */
int dates_is_leap_year(int year);

/* Number of days in a month of a year (28..31). */
int dates_days_in_month(int year, int month);

/* Parse a strict "YYYY-MM-DD" calendar date (years 1900..2199, a real day of the month).
 * Returns 0 and fills *out, or -1 when the text is not such a date. */
int dates_parse(const char *text, struct civil_date *out);

/* Days since 1970-01-01 of a civil date (negative before). */
int64_t dates_to_days(struct civil_date date);

/* The civil date of a day count since 1970-01-01. */
struct civil_date dates_from_days(int64_t days);

/* Format a civil date as "YYYY-MM-DD" into out (DATE_LEN bytes). */
void dates_format(struct civil_date date, char out[DATE_LEN]);

/* Add a number of days (may be negative) to a civil date. */
struct civil_date dates_add_days(struct civil_date date, int64_t days);

/* Parse an RFC 3339 timestamp with an explicit offset ("Z" or +HH:MM / -HH:MM; optional
 * fractional seconds, dropped). Returns 0 and writes the instant in UTC as
 * "YYYY-MM-DDTHH:MM:SSZ" into utc_out (may be NULL) and seconds since the epoch into *epoch
 * (may be NULL); -1 when the text is not such a timestamp. */
int dates_parse_timestamp(const char *text, char utc_out[TIMESTAMP_LEN], int64_t *epoch);

/* Seconds since the epoch of a stored timestamp (dates_parse_timestamp), 0 when it is NULL or
 * does not parse: for comparing the times the store keeps (expiries, last use). */
int64_t dates_epoch_of(const char *timestamp);

/* Use the IANA zone `name` (e.g. "America/New_York") as the firm's time zone, or the system's
 * zone when name is NULL or empty. Returns 0, or -1 when the zone is unknown on this system. */
int dates_set_timezone(const char *name);

/* The firm's time zone name as configured ("system" when the system default is used).
 * The returned string is static. */
const char *dates_timezone_name(void);

/* Use the BCP 47 tag `tag` (e.g. "en-US", "es-US") as the firm's locale for how the dashboard
 * shows dates and numbers; NULL or empty keeps "en-US". Returns 0, or -1 when it is not a
 * well-formed tag. */
int dates_set_locale(const char *tag);

/* The firm's locale (static string). */
const char *dates_locale_name(void);

/* Today's date in the firm's time zone, as "YYYY-MM-DD", for the instant `now`. */
void dates_today(time_t now, char out[DATE_LEN]);

/* The firm-local calendar date of a UTC epoch instant, as "YYYY-MM-DD". */
void dates_local_date_of(int64_t epoch, char out[DATE_LEN]);

/* The instant `now` in UTC as "YYYY-MM-DDTHH:MM:SSZ". */
void dates_format_utc(time_t now, char out[TIMESTAMP_LEN]);

/* Milliseconds on the monotonic clock: for durations and pacing, never for dates. */
int64_t dates_monotonic_ms(void);

#endif
