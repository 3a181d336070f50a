/* libFuzzer target: calendar dates ("YYYY-MM-DD") and RFC 3339 times as clients send them
 * (dates_parse, dates_parse_timestamp, dates_epoch_of): no crash, and a date that parses
 * formats back to the same text. */
#include "dates.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), utc[TIMESTAMP_LEN], again[DATE_LEN];
    struct civil_date date;
    int64_t epoch = 0;

    if (dates_parse(text, &date) == 0) {
        dates_format(date, again);
        if (strcmp(again, text) != 0)
            abort(); /* a date that parses must be written back as it was given */
        (void)dates_from_days(dates_to_days(date));
    }
    (void)dates_parse_timestamp(text, utc, &epoch);
    (void)dates_epoch_of(text);
    free(text);
    return 0;
}
