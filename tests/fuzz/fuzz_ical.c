/* libFuzzer target: the iCalendar writer on any text a record may hold (ical_add_line with
 * escaping, as the calendar feed writes summaries and descriptions): no crash, no leak, every
 * line at most 75 octets, folded lines starting with a space, no bare CR or LF in a value. */
#include "fuzz_common.h"
#include "ical.h"
#include "text_buffer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    struct text_buffer out = {0};
    const char *line;

    ical_add_line(&out, "SUMMARY", text, 1);
    ical_add_line(&out, "DESCRIPTION", text, 1);
    for (line = out.data; line != NULL && *line != '\0';) {
        const char *end = strstr(line, "\r\n");

        if (end == NULL || end - line > 75 || memchr(line, '\n', (size_t)(end - line)) != NULL ||
            memchr(line, '\r', (size_t)(end - line)) != NULL)
            abort();
        line = end + 2;
        if (*line != '\0' && line != out.data && *line != ' ' && strncmp(line, "DESCRIPTION", 11))
            abort(); /* a folded line continues with a space */
    }
    text_buffer_free(&out);
    free(text);
    return 0;
}
