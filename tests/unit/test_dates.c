/* Unit tests of dates: calendar validity, day arithmetic, timestamps, the firm's zone. */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "dates.h"

static void test_parse(void)
{
    struct civil_date d;

    CHECK(dates_parse("2024-02-29", &d) == 0 && d.year == 2024 && d.month == 2 && d.day == 29);
    CHECK(dates_parse("2025-02-29", &d) != 0);
    CHECK(dates_parse("2025-02-30", &d) != 0);
    CHECK(dates_parse("1900-02-29", &d) != 0); /* not a leap year */
    CHECK(dates_parse("2000-02-29", &d) == 0); /* a leap year */
    CHECK(dates_parse("2025-04-31", &d) != 0);
    CHECK(dates_parse("2025-12-31", &d) == 0);
    CHECK(dates_parse("2025-13-01", &d) != 0);
    CHECK(dates_parse("2025-00-10", &d) != 0);
    CHECK(dates_parse("2025-1-01", &d) != 0);
    CHECK(dates_parse("2025-01-01T00:00", &d) != 0);
    CHECK(dates_parse(" 2025-01-01", &d) != 0);
    CHECK(dates_parse("1899-12-31", &d) != 0);
    CHECK(dates_parse("", &d) != 0);
    CHECK(dates_parse(NULL, &d) != 0);
}

static void test_arithmetic(void)
{
    char out[DATE_LEN];
    struct civil_date d;

    dates_parse("1970-01-01", &d);
    CHECK(dates_to_days(d) == 0);
    dates_parse("2024-02-28", &d);
    dates_format(dates_add_days(d, 1), out);
    CHECK_STR(out, "2024-02-29");
    dates_format(dates_add_days(d, 2), out);
    CHECK_STR(out, "2024-03-01");
    dates_parse("2025-12-31", &d);
    dates_format(dates_add_days(d, 1), out);
    CHECK_STR(out, "2026-01-01");
    dates_parse("2026-03-01", &d);
    dates_format(dates_add_days(d, -1), out);
    CHECK_STR(out, "2026-02-28");
    dates_parse("2024-01-31", &d);
    dates_format(dates_add_days(d, 84), out);
    CHECK_STR(out, "2024-04-24");
    /* Round trip over four centuries, leap days included. */
    {
        int ok = 1;

        for (int64_t n = -25567; n < 84000; n += 13) {
            struct civil_date back = dates_from_days(n);

            if (dates_to_days(back) != n)
                ok = 0;
        }
        CHECK(ok);
    }
}

static void test_timestamps(void)
{
    char utc[TIMESTAMP_LEN];
    int64_t epoch;

    CHECK(dates_parse_timestamp("2026-03-05T09:30:00-05:00", utc, &epoch) == 0);
    CHECK_STR(utc, "2026-03-05T14:30:00Z");
    CHECK(dates_parse_timestamp("2026-03-05T23:30:00-05:00", utc, NULL) == 0);
    CHECK_STR(utc, "2026-03-06T04:30:00Z");
    CHECK(dates_parse_timestamp("2026-03-05T09:30:00Z", utc, NULL) == 0);
    CHECK_STR(utc, "2026-03-05T09:30:00Z");
    CHECK(dates_parse_timestamp("2026-03-05T09:30:00.123+05:30", utc, NULL) == 0);
    CHECK_STR(utc, "2026-03-05T04:00:00Z");
    CHECK(dates_parse_timestamp("2026-03-05T09:30:00", utc, NULL) != 0); /* no offset */
    CHECK(dates_parse_timestamp("2026-03-05 09:30:00Z", utc, NULL) != 0);
    CHECK(dates_parse_timestamp("2026-02-30T09:30:00Z", utc, NULL) != 0);
    CHECK(dates_parse_timestamp("2026-03-05T24:00:00Z", utc, NULL) != 0);
    CHECK(dates_parse_timestamp("2026-03-05T09:30:00+5:00", utc, NULL) != 0);
    CHECK(dates_parse_timestamp("2026-03-05T09:30:00Zjunk", utc, NULL) != 0);
}

static void test_timezone(void)
{
    char out[DATE_LEN];
    struct civil_date d;

    CHECK(dates_set_timezone("America/New_York") == 0);
    CHECK_STR(dates_timezone_name(), "America/New_York");
    /* 2026-03-08 is the spring DST change in New York: 04:30Z is still the 7th (EST, -5)
     * and 05:30Z is the 8th at 00:30 EST. */
    dates_parse("2026-03-08", &d);
    dates_local_date_of(dates_to_days(d) * 86400 + 4 * 3600 + 1800, out);
    CHECK_STR(out, "2026-03-07");
    dates_local_date_of(dates_to_days(d) * 86400 + 5 * 3600 + 1800, out);
    CHECK_STR(out, "2026-03-08");
    /* After the change (EDT, -4), 03:59Z on 2026-07-01 is still June 30th locally. */
    dates_parse("2026-07-01", &d);
    dates_local_date_of(dates_to_days(d) * 86400 + 3 * 3600 + 59 * 60, out);
    CHECK_STR(out, "2026-06-30");
    dates_local_date_of(dates_to_days(d) * 86400 + 4 * 3600, out);
    CHECK_STR(out, "2026-07-01");
    CHECK(dates_set_timezone("Asia/Kabul") == 0);
    dates_local_date_of(dates_to_days(d) * 86400 - 4 * 3600 - 1800, out); /* +04:30 */
    CHECK_STR(out, "2026-07-01");
    CHECK(dates_set_timezone("Not/AZone") != 0);
    CHECK(dates_set_timezone("../../etc/passwd") != 0);
    CHECK(dates_set_timezone("/etc/localtime") != 0);
    /* No zone named: TZ from the environment when set, else the system's. */
    setenv("TZ", "Europe/Kyiv", 1);
    CHECK(dates_set_timezone(NULL) == 0);
    CHECK_STR(dates_timezone_name(), "Europe/Kyiv");
    dates_parse("2026-07-01", &d);
    dates_local_date_of(dates_to_days(d) * 86400 - 3 * 3600, out); /* 00:00 EEST (+3) */
    CHECK_STR(out, "2026-07-01");
    unsetenv("TZ");
    CHECK(dates_set_timezone(NULL) == 0);
    CHECK_STR(dates_timezone_name(), "system");
}

int main(void)
{
    test_parse();
    test_arithmetic();
    test_timestamps();
    test_timezone();
    return CHECK_DONE();
}
