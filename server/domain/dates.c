/* dates: strict date and timestamp parsing, civil-day arithmetic and the firm's time zone. */
#include "dates.h"
#include "identifiers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char timezone_name[128] = "system";
static char locale_name[64] = "en-US";

int dates_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int dates_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && dates_is_leap_year(year))
        return 29;
    return days[month - 1];
}

/* Read exactly `count` ASCII digits from text into *value. Returns 0, or -1 on a non-digit. */
static int read_digits(const char *text, int count, int *value)
{
    int result = 0;

    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)text[i]))
            return -1;
        result = result * 10 + (text[i] - '0');
    }
    *value = result;
    return 0;
}

/* Parse "YYYY-MM-DD" at the start of text without requiring the string to end there. */
static int parse_date_prefix(const char *text, struct civil_date *out)
{
    struct civil_date date;

    if (strlen(text) < 10 || text[4] != '-' || text[7] != '-')
        return -1;
    if (read_digits(text, 4, &date.year) || read_digits(text + 5, 2, &date.month) ||
        read_digits(text + 8, 2, &date.day))
        return -1;
    if (date.year < 1900 || date.year > 2199 || date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > dates_days_in_month(date.year, date.month))
        return -1;
    *out = date;
    return 0;
}

int dates_parse(const char *text, struct civil_date *out)
{
    if (text == NULL || strlen(text) != 10)
        return -1;
    return parse_date_prefix(text, out);
}

/* Days-from-civil after H. Hinnant's public-domain algorithm description. */
int64_t dates_to_days(struct civil_date date)
{
    int64_t y = date.year - (date.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (date.month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

struct civil_date dates_from_days(int64_t days)
{
    struct civil_date date;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;

    date.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    date.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    date.year = (int)(yoe + era * 400 + (date.month <= 2));
    return date;
}

void dates_format(struct civil_date date, char out[DATE_LEN])
{
    snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)date.year % 10000u,
             (unsigned)date.month % 100u, (unsigned)date.day % 100u);
}

struct civil_date dates_add_days(struct civil_date date, int64_t days)
{
    return dates_from_days(dates_to_days(date) + days);
}

int dates_parse_timestamp(const char *text, char utc_out[TIMESTAMP_LEN], int64_t *epoch)
{
    struct civil_date date;
    int hour, minute, second, offset_minutes = 0;
    const char *p;
    int64_t seconds;

    if (text == NULL || parse_date_prefix(text, &date) != 0 || text[10] != 'T')
        return -1;
    p = text + 11;
    if (read_digits(p, 2, &hour) || p[2] != ':' || read_digits(p + 3, 2, &minute) || p[5] != ':' ||
        read_digits(p + 6, 2, &second))
        return -1;
    if (hour > 23 || minute > 59 || second > 59)
        return -1;
    p += 8;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        for (int n = 0; isdigit((unsigned char)*p); n++, p++)
            if (n >= 9)
                return -1;
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        int sign = *p == '-' ? -1 : 1;

        if (read_digits(p + 1, 2, &oh) || p[3] != ':' || read_digits(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return -1;
        offset_minutes = sign * (oh * 60 + om);
        p += 6;
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    seconds = dates_to_days(date) * 86400 + hour * 3600 + minute * 60 + second -
              (int64_t)offset_minutes * 60;
    if (epoch != NULL)
        *epoch = seconds;
    if (utc_out != NULL)
        dates_format_utc((time_t)seconds, utc_out);
    return 0;
}

int64_t dates_epoch_of(const char *timestamp)
{
    int64_t epoch = 0;

    if (timestamp == NULL || dates_parse_timestamp(timestamp, NULL, &epoch) != 0)
        return 0;
    return epoch;
}

int dates_set_timezone(const char *name)
{
    char path[512];
    struct stat st;

    if (name == NULL || name[0] == '\0') {
        /* The system's zone: TZ from the environment when set (containers), else
         * /etc/localtime. */
        const char *env = getenv("TZ");

        tzset();
        snprintf(timezone_name, sizeof(timezone_name), "%s", env && env[0] ? env : "system");
        return 0;
    }
    /* An IANA name is letters, digits, '/', '_', '-', '+'; never a path that climbs out. */
    if (strlen(name) >= sizeof(timezone_name) || name[0] == '/' || strstr(name, "..") != NULL)
        return -1;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && strchr("/_-+", *c) == NULL)
            return -1;
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    setenv("TZ", name, 1);
    tzset();
    snprintf(timezone_name, sizeof(timezone_name), "%s", name);
    return 0;
}

int dates_set_locale(const char *tag)
{
    char normalized[sizeof(locale_name)];
    const char *message = NULL;

    if (tag == NULL || tag[0] == '\0')
        return 0;
    if (identifiers_language_tag(tag, normalized, sizeof(normalized), &message) != 0)
        return -1;
    snprintf(locale_name, sizeof(locale_name), "%s", normalized);
    return 0;
}

const char *dates_locale_name(void)
{
    return locale_name;
}

const char *dates_timezone_name(void)
{
    return timezone_name;
}

void dates_today(time_t now, char out[DATE_LEN])
{
    dates_local_date_of((int64_t)now, out);
}

void dates_local_date_of(int64_t epoch, char out[DATE_LEN])
{
    struct tm local;
    time_t t = (time_t)epoch;

    localtime_r(&t, &local);
    snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)(local.tm_year + 1900) % 10000u,
             (unsigned)(local.tm_mon + 1) % 100u, (unsigned)local.tm_mday % 100u);
}

void dates_format_utc(time_t now, char out[TIMESTAMP_LEN])
{
    struct tm utc;

    gmtime_r(&now, &utc);
    snprintf(out, TIMESTAMP_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
             (unsigned)(utc.tm_year + 1900) % 10000u, (unsigned)(utc.tm_mon + 1) % 100u,
             (unsigned)utc.tm_mday % 100u, (unsigned)utc.tm_hour % 100u,
             (unsigned)utc.tm_min % 100u, (unsigned)utc.tm_sec % 100u);
}

int64_t dates_monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
